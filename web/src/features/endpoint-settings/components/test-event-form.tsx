import { useState, type FormEvent } from 'react';
import { SendIcon } from '../../../components/ui/icons';
import { ApiRequestError, errorMessage, useApi } from '../../../lib/api-client';
import { sendTestEvent } from '../api/settings-api';
import { Field } from './field';

const SUGGESTIONS = ['ping', 'messaging.message-received', 'messaging.message-read', 'github.push', 'stripe.payment_intent.succeeded'];

type Result = { ok: true; text: string } | { ok: false; text: string } | null;

/** Asks the server to deliver a sample event to this endpoint, signed with its settings. */
export function TestEventForm({ endpointId }: { endpointId: string }) {
  const api = useApi();
  const [event, setEvent] = useState('ping');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setResult(null);
    try {
      await sendTestEvent(api, endpointId, event.trim());
      setResult({ ok: true, text: 'Sent: it appears in the request list in a moment.' });
    } catch (error) {
      const unavailable = error instanceof ApiRequestError && (error.status === 404 && /no API route/i.test(error.message) || error.status === 405 || error.status === 501);
      setResult({ ok: false, text: unavailable ? 'This server cannot send test events yet (the test-events API is not available).' : errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={submit}>
      <p className="muted" style={{ margin: 0 }}>Hookscope sends a sample delivery of this event to the endpoint, signed with its verification settings, so you can see the whole path work before pointing a platform at it.</p>
      <Field label="Event">
        <input className="input mono" list="test-event-names" value={event} onChange={(e) => setEvent(e.target.value)} />
      </Field>
      <datalist id="test-event-names">{SUGGESTIONS.map((s) => <option key={s} value={s} />)}</datalist>
      <div><button type="submit" className="btn btn--primary" disabled={busy || !event.trim()}><SendIcon /> {busy ? 'Sending…' : 'Send test event'}</button></div>
      {result && <div className={`notice ${result.ok ? 'notice--ok' : 'notice--error'}`} role={result.ok ? 'status' : 'alert'}>{result.text}</div>}
    </form>
  );
}
