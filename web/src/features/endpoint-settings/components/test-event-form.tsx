import { useEffect, useState, type FormEvent } from 'react';
import { catalogListSchema, testEventResultSchema, type CatalogList, type TestEventResult } from '../../../../../shared/catalogs';
import { SendIcon } from '../../../components/ui/icons';
import { ApiRequestError, errorMessage, useApi } from '../../../lib/api-client';
import { Field } from './field';

type Outcome = { ok: true; result: TestEventResult } | { ok: false; text: string } | null;

/** Asks the server to deliver a catalog sample to this endpoint, signed with its settings. */
export function TestEventForm({ endpointId }: { endpointId: string }) {
  const api = useApi();
  const [catalogs, setCatalogs] = useState<CatalogList | null>(null);
  const [catalogError, setCatalogError] = useState<string | null>(null);
  const [event, setEvent] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  useEffect(() => {
    api.request(catalogListSchema, '/api/catalogs').then(
      (list) => {
        setCatalogs(list);
        setEvent((current) => current || list[0]?.events[0]?.name || '');
      },
      (error: unknown) => setCatalogError(errorMessage(error)),
    );
  }, [api]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setOutcome(null);
    try {
      const result = await api.request(testEventResultSchema, `/api/endpoints/${encodeURIComponent(endpointId)}/test-events`, { method: 'POST', json: { event } });
      setOutcome({ ok: true, result });
    } catch (error) {
      const unavailable = error instanceof ApiRequestError && ((error.status === 404 && /no API route/i.test(error.message)) || error.status === 501);
      setOutcome({ ok: false, text: unavailable ? 'This server cannot send test events (the test-events API is not available).' : errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };
  const description = catalogs?.flatMap((c) => c.events).find((ev) => ev.name === event)?.description;

  return (
    <form className="form" onSubmit={submit}>
      <p className="muted" style={{ margin: 0 }}>Hookscope sends a sample delivery of the chosen event through this endpoint's real ingest URL, signed with its verification settings, so you can see the whole path work before pointing a platform at it.</p>
      {catalogError && <div className="notice notice--error">Cannot list the event catalogs: {catalogError}</div>}
      <Field label="Event" hint={description}>
        <select className="select" value={event} disabled={!catalogs} onChange={(e) => setEvent(e.target.value)}>
          {!catalogs && <option>Loading…</option>}
          {catalogs?.map((catalog) => (
            <optgroup key={catalog.name} label={catalog.title}>
              {catalog.events.map((ev) => <option key={ev.name} value={ev.name}>{ev.name}</option>)}
            </optgroup>
          ))}
        </select>
      </Field>
      <div><button type="submit" className="btn btn--primary" disabled={busy || !event}><SendIcon /> {busy ? 'Sending…' : 'Send test event'}</button></div>
      {outcome?.ok === true && (
        <div className="notice notice--ok" role="status">
          Sent <code>{outcome.result.event}</code>: ingest answered {outcome.result.status}
          {outcome.result.signedWith.length > 0 ? `, signed with ${outcome.result.signedWith.join(' + ')}` : ', unsigned'}. It is in the request list now.
          {outcome.result.notes.map((note, i) => <div key={i}>{note}</div>)}
        </div>
      )}
      {outcome?.ok === false && <div className="notice notice--error" role="alert">{outcome.text}</div>}
    </form>
  );
}
