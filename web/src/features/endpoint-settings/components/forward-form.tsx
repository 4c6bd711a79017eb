import { DEFAULT_FORWARD_ATTEMPTS, DEFAULT_PROXY_TIMEOUT_MS } from '../../../../../shared/forward-config';
import type { Draft } from '../utils/draft';
import { Field, type Patch } from './field';

/** Forward rule: every accepted delivery also goes to a URL, after storing (async) or inline (proxy). */
export function ForwardForm({ draft, patch }: { draft: Draft; patch: Patch<Draft> }) {
  return (
    <div className="form">
      <label className="checkbox">
        <input type="checkbox" checked={draft.forwardEnabled} onChange={(e) => patch({ forwardEnabled: e.target.checked })} />
        Forward every accepted delivery
      </label>
      {draft.forwardEnabled && (
        <>
          <Field label="Target URL" hint="Usually your own handler. Each attempt is recorded on the capture (Replays tab).">
            <input className="input mono" value={draft.forwardUrl} placeholder="https://my-app.example.com/webhooks" onChange={(e) => patch({ forwardUrl: e.target.value })} />
          </Field>
          <div className="field-row">
            <Field label="Mode" hint={draft.forwardMode === 'async'
              ? 'After the delivery is stored; retried with backoff. The sender gets the configured response.'
              : "The sender gets your handler's status, headers and body; the configured response after the timeout."}>
              <select className="select" value={draft.forwardMode} onChange={(e) => patch({ forwardMode: e.target.value as Draft['forwardMode'] })}>
                <option value="async">Async (store, then forward)</option>
                <option value="proxy">Proxy (answer with the target's reply)</option>
              </select>
            </Field>
            {draft.forwardMode === 'async' ? (
              <Field label="Attempts" hint={`Default ${DEFAULT_FORWARD_ATTEMPTS}.`}>
                <input className="input" type="number" min={1} max={20} value={draft.forwardMaxAttempts} onChange={(e) => patch({ forwardMaxAttempts: e.target.value })} />
              </Field>
            ) : (
              <Field label="Timeout (ms)" hint={`Default ${DEFAULT_PROXY_TIMEOUT_MS.toLocaleString()} ms.`}>
                <input className="input" type="number" min={100} max={60_000} value={draft.forwardTimeoutMs} onChange={(e) => patch({ forwardTimeoutMs: e.target.value })} />
              </Field>
            )}
          </div>
          <label className="checkbox">
            <input type="checkbox" checked={draft.forwardAppendPath} onChange={(e) => patch({ forwardAppendPath: e.target.checked })} />
            Append each delivery's sub-path and query to the URL
          </label>
        </>
      )}
    </div>
  );
}
