import { MAX_RESPONSE_DELAY_MS } from '../../../../../shared/endpoint';
import { PlusIcon, TrashIcon } from '../../../components/ui/icons';
import type { Draft } from '../utils/draft';
import { Field, type Patch } from './field';

/** What ingest answers: status, headers, body, delay. */
export function ResponseForm({ draft, patch }: { draft: Draft; patch: Patch<Draft> }) {
  const setHeader = (index: number, pair: [string, string]) => patch({ headers: draft.headers.map((h, i) => (i === index ? pair : h)) });
  return (
    <div className="form">
      <div className="field-row">
        <Field label="Status code">
          <input className="input" type="number" min={100} max={599} value={draft.status} onChange={(e) => patch({ status: e.target.value })} />
        </Field>
        <Field label="Delay (ms)" hint={`Up to ${MAX_RESPONSE_DELAY_MS.toLocaleString()} ms: test your sender's timeouts.`}>
          <input className="input" type="number" min={0} max={MAX_RESPONSE_DELAY_MS} value={draft.delayMs} onChange={(e) => patch({ delayMs: e.target.value })} />
        </Field>
      </div>
      <fieldset className="fieldset">
        <legend>Response headers</legend>
        <div className="header-rows">
          {draft.headers.map(([name, value], i) => (
            <div className="header-row" key={i}>
              <input className="input mono" placeholder="Header-Name" aria-label="Header name" value={name} onChange={(e) => setHeader(i, [e.target.value, value])} />
              <input className="input mono" placeholder="value" aria-label="Header value" value={value} onChange={(e) => setHeader(i, [name, e.target.value])} />
              <button type="button" className="btn btn--icon" aria-label="Remove header" onClick={() => patch({ headers: draft.headers.filter((_, j) => j !== i) })}><TrashIcon /></button>
            </div>
          ))}
          <div><button type="button" className="btn btn--small" onClick={() => patch({ headers: [...draft.headers, ['', '']] })}><PlusIcon /> Add header</button></div>
        </div>
      </fieldset>
      <fieldset className="fieldset">
        <legend>Response body</legend>
        <label className="checkbox">
          <input type="checkbox" checked={draft.body === null}
            onChange={(e) => patch({ body: e.target.checked ? null : '' })} />
          Default body <code>{'{"ok":true,"id":"<capture id>"}'}</code>
        </label>
        {draft.body !== null && (
          <textarea className="textarea" rows={6} aria-label="Response body" value={draft.body} onChange={(e) => patch({ body: e.target.value })} />
        )}
      </fieldset>
    </div>
  );
}
