import { useState } from 'react';
import type { ResponseRule, RulePreview } from '../../../../../shared/rules';
import { errorMessage, useApi } from '../../../lib/api-client';
import { previewRules } from '../api/sender-api';
import { Field } from './field';

/** `Name: value` lines → header pairs (lines without a colon are ignored). */
export function parseHeaderLines(text: string): Array<[string, string]> {
  return text.split('\n').flatMap((line) => {
    const colon = line.indexOf(':');
    return colon > 0 ? [[line.slice(0, colon).trim(), line.slice(colon + 1).trim()] as [string, string]] : [];
  });
}

function answerText(preview: RulePreview): string {
  const { answer } = preview;
  if (!answer.rule) return `No rule applies: the endpoint answers ${answer.status ?? ''}${answer.delayMs ? ` after ${answer.delayMs} ms` : ''}`;
  const who = answer.rule ? `Rule ${answer.rule.index + 1}${answer.rule.name ? ` “${answer.rule.name}”` : ''}` : 'No rule: the endpoint';
  const status = answer.status !== undefined ? ` → ${answer.status}` : '';
  return `${who}${status}: ${answer.note}`;
}

/** "Try a request against the rules": the server evaluates the draft rules on a sample; nothing is stored. */
export function RulePreviewPanel({ endpointId, rules }: { endpointId: string; rules: ResponseRule[] }) {
  const api = useApi();
  const [method, setMethod] = useState('POST');
  const [path, setPath] = useState('');
  const [headers, setHeaders] = useState('Content-Type: application/json');
  const [body, setBody] = useState('{"type":"message.created"}');
  const [previous, setPrevious] = useState('0');
  const [result, setResult] = useState<RulePreview | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async () => {
    setError(null);
    try {
      setResult(await previewRules(api, endpointId, {
        rules, request: { method, path, headers: parseHeaderLines(headers), body }, previousAttempts: Math.max(0, Number(previous) || 0),
      }));
    } catch (e) {
      setResult(null);
      setError(errorMessage(e));
    }
  };

  return (
    <section className="preview" aria-label="Try a request against the rules">
      <strong>Try a request against the rules</strong>
      <div className="rule-grid">
        <Field label="Method"><input className="input mono" aria-label="Sample method" value={method} onChange={(e) => setMethod(e.target.value)} /></Field>
        <Field label="Sub-path"><input className="input mono" aria-label="Sample path" placeholder="/orders/17" value={path} onChange={(e) => setPath(e.target.value)} /></Field>
        <Field label="Earlier attempts" hint="Deliveries with this id already received."><input className="input" type="number" min={0} aria-label="Earlier attempts" value={previous} onChange={(e) => setPrevious(e.target.value)} /></Field>
      </div>
      <Field label="Headers (Name: value per line)"><textarea className="textarea mono" rows={2} aria-label="Sample headers" value={headers} onChange={(e) => setHeaders(e.target.value)} /></Field>
      <Field label="Body"><textarea className="textarea mono" rows={3} aria-label="Sample body" value={body} onChange={(e) => setBody(e.target.value)} /></Field>
      <div><button type="button" className="btn btn--small" onClick={() => void run()}>Try it</button></div>
      {error && <p className="error-text" role="alert">{error}</p>}
      {result && (
        <div role="status" aria-label="Preview result">
          <p className="preview__answer">{answerText(result)}</p>
          <p className="muted">Event type: <code>{result.eventType ?? '(none)'}</code> · delivery id: <code>{result.deliveryId ?? '(none)'}</code></p>
          {result.trace.length > 0 && (
            <ol className="preview__trace">
              {result.trace.map((step) => <li key={step.index} data-matched={step.matched}>Rule {step.index + 1}: {step.note}</li>)}
            </ol>
          )}
        </div>
      )}
    </section>
  );
}
