import { useEffect, useState } from 'react';
import type { AlertAttempt, AlertKind, AlertRule } from '../../../../../shared/alerts';
import { PlusIcon, TrashIcon } from '../../../components/ui/icons';
import { useStreamEvent } from '../../../hooks/use-stream-event';
import { errorMessage, useApi } from '../../../lib/api-client';
import { formatExact } from '../../../lib/format';
import { alertAttempts } from '../api/sender-api';
import type { Draft } from '../utils/draft';
import { Field, type Patch } from './field';

const KINDS: Array<[AlertKind, string]> = [
  ['signature-invalid', 'signature fails'], ['schema-invalid', 'schema fails'], ['rejected', 'delivery refused'], ['silence', 'silence'],
];

/** Alerts: when to POST a message (Slack, Mattermost or any JSON receiver), and what was sent. */
export function AlertsForm({ draft, patch, endpointId }: { draft: Draft; patch: Patch<Draft>; endpointId: string }) {
  const set = (index: number, alert: Partial<AlertRule>) => patch({ alerts: draft.alerts.map((a, i) => (i === index ? { ...a, ...alert } : a)) });
  return (
    <div className="form">
      <p className="muted">Windows are fixed (a 60 s window starts on the minute); one message per window, sent by one instance. Silence: no delivery for the window since the last one.</p>
      {draft.alerts.map((alert, i) => (
        <div className="alert-row" key={i} role="group" aria-label={`Alert ${i + 1}`}>
          <Field label="When">
            <select className="input" aria-label="Alert on" value={alert.on} onChange={(e) => set(i, { on: e.target.value as AlertKind })}>
              {KINDS.map(([kind, label]) => <option key={kind} value={kind}>{label}</option>)}
            </select>
          </Field>
          <Field label="Count"><input className="input" type="number" min={1} aria-label="Threshold" disabled={alert.on === 'silence'} value={alert.threshold} onChange={(e) => set(i, { threshold: Number(e.target.value) })} /></Field>
          <Field label="Window (s)"><input className="input" type="number" min={1} aria-label="Window seconds" value={alert.windowSec} onChange={(e) => set(i, { windowSec: Number(e.target.value) })} /></Field>
          <Field label="POST to"><input className="input mono" aria-label="Alert URL" placeholder="https://hooks.slack.com/services/…" value={alert.url} onChange={(e) => set(i, { url: e.target.value })} /></Field>
          <button type="button" className="btn btn--icon" aria-label="Remove alert" onClick={() => patch({ alerts: draft.alerts.filter((_, j) => j !== i) })}><TrashIcon /></button>
        </div>
      ))}
      <div><button type="button" className="btn btn--small" onClick={() => patch({ alerts: [...draft.alerts, { on: 'signature-invalid', threshold: 3, windowSec: 60, url: '' }] })}><PlusIcon /> Add alert</button></div>
      <AlertLog endpointId={endpointId} />
    </div>
  );
}

/** The latest messages sent or tried (live). */
function AlertLog({ endpointId }: { endpointId: string }) {
  const api = useApi();
  const [items, setItems] = useState<AlertAttempt[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    alertAttempts(api, endpointId).then(setItems, (e: unknown) => setError(errorMessage(e)));
  }, [api, endpointId]);
  useStreamEvent('alert-sent', (message) => {
    if (message.endpointId === endpointId) setItems((list) => [message.attempt, ...(list ?? [])].slice(0, 20));
  });
  if (error) return <p className="error-text" role="alert">{error}</p>;
  return (
    <section aria-label="Alert messages sent">
      <strong>Messages sent</strong>
      {items && items.length === 0 && <p className="muted">None yet.</p>}
      {items && items.length > 0 && (
        <table className="alert-log">
          <thead><tr><th>When</th><th>Alert</th><th>Count</th><th>Answer</th><th>To</th></tr></thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id}>
                <td title={formatExact(a.startedAt)}>{new Date(a.startedAt).toLocaleString(undefined, { hour12: false })}</td>
                <td>{a.alert}{a.try > 1 ? ` (try ${a.try})` : ''}</td>
                <td>{a.count}</td>
                <td className={a.error || (a.status ?? 0) >= 300 ? 'error-text' : ''}>{a.error ?? a.status}</td>
                <td className="mono">{a.url}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
