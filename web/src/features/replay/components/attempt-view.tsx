import type { ReplayAttempt } from '../../../../../shared/capture';
import { StatusCode } from '../../../components/ui/badges';
import { formatBytes, formatExact } from '../../../lib/format';
import { comparableBody } from '../utils/line-diff';

/** One replay/forward attempt: what was sent (headers as sent, an edited body) and what came back. */
export function AttemptView({ attempt }: { attempt: ReplayAttempt }) {
  return (
    <div className="attempt" data-testid="replay-attempt">
      <div className="attempt__head">
        <AttemptStatus attempt={attempt} />
        <span className="mono attempt__url" title={attempt.url}>{attempt.url}</span>
        <span className="muted">{Math.round(attempt.durationMs)} ms</span>
      </div>
      <p className="muted" style={{ margin: '4px 0' }}>{attempt.kind}{attempt.attempt ? ` · try ${attempt.attempt}` : ''} · {formatExact(attempt.startedAt)}</p>
      {attempt.sent && <SentRequest sent={attempt.sent} />}
      <h4 className="attempt__section">Answer</h4>
      {attempt.error && <div className="notice notice--error">{attempt.error}</div>}
      {attempt.headers && attempt.headers.length > 0 && (
        <table className="kv" aria-label="Response headers">
          <tbody>{attempt.headers.map(([name, value], i) => <tr key={i}><th scope="row">{name}</th><td>{value}</td></tr>)}</tbody>
        </table>
      )}
      {attempt.body && (
        <>
          <pre className="code-block" style={{ marginTop: 8 }}>{comparableBody(attempt.body) || '(empty body)'}</pre>
          {attempt.body.truncated && <small className="muted">Body truncated by the server's size cap.</small>}
        </>
      )}
    </div>
  );
}

/** The request as it went out: a fresh signature or an edited body shows here. */
function SentRequest({ sent }: { sent: NonNullable<ReplayAttempt['sent']> }) {
  return (
    <details className="attempt__sent">
      <summary><h4 className="attempt__section">Sent: {sent.method} {sent.body ? 'with an edited body' : 'with the captured body'} ({formatBytes(sent.bodySize)})</h4></summary>
      <table className="kv" aria-label="Request headers as sent">
        <tbody>{sent.headers.map(([name, value], i) => <tr key={i}><th scope="row">{name}</th><td>{value}</td></tr>)}</tbody>
      </table>
      {sent.body
        ? <pre className="code-block" style={{ marginTop: 8 }}>{comparableBody(sent.body) || '(empty body)'}</pre>
        : <p className="muted" style={{ margin: '6px 0 0' }}>The captured bytes, unchanged (sha256 {sent.bodySha256.slice(0, 12)}…).</p>}
    </details>
  );
}

export function AttemptStatus({ attempt }: { attempt: ReplayAttempt }) {
  if (attempt.status === undefined) return <span className="badge badge--red">failed</span>;
  const tone = attempt.status < 300 ? 'green' : attempt.status < 500 ? 'amber' : 'red';
  return <span className={`badge badge--${tone}`}><StatusCode status={attempt.status} /></span>;
}
