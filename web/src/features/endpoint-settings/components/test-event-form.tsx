import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { catalogListSchema, testEventResultSchema, type CatalogList, type TestEventResult } from '../../../../../shared/catalogs';
import type { EndpointView } from '../../../../../shared/endpoint';
import { SendIcon } from '../../../components/ui/icons';
import { ApiRequestError, errorMessage, useApi } from '../../../lib/api-client';
import { Field } from './field';

type Outcome = { ok: true; result: TestEventResult } | { ok: false; text: string } | null;

/** The catalogs with the endpoint's own first: that is the one its deliveries are checked against. */
function ordered(list: CatalogList, endpoint: EndpointView): CatalogList {
  const own = endpoint.schema.catalog;
  return own && own !== 'auto' ? [...list.filter((c) => c.name === own), ...list.filter((c) => c.name !== own)] : list;
}

/** The built-in catalogs, the endpoint's own first; loaded once per endpoint. */
function useCatalogs(endpoint: EndpointView): { catalogs: CatalogList | null; catalogError: string | null } {
  const api = useApi();
  const [catalogs, setCatalogs] = useState<CatalogList | null>(null);
  const [catalogError, setCatalogError] = useState<string | null>(null);
  useEffect(() => {
    api.request(catalogListSchema, '/api/catalogs').then((list) => setCatalogs(ordered(list, endpoint)), (error: unknown) => setCatalogError(errorMessage(error)));
  }, [api, endpoint]);
  return { catalogs, catalogError };
}

/** What ingest answered to the test event, or why it could not be sent. */
function OutcomeNotice({ outcome }: { outcome: Outcome }) {
  if (outcome === null) return null;
  if (!outcome.ok) return <div className="notice notice--error" role="alert">{outcome.text}</div>;
  const { result } = outcome;
  return (
    <div className="notice notice--ok" role="status">
      Sent <code>{result.event}</code>: ingest answered {result.status}
      {result.signedWith.length > 0 ? `, signed with ${result.signedWith.join(' + ')}` : ', unsigned'}. It is in the request list now.
      {result.notes.map((note, i) => <div key={i}>{note}</div>)}
    </div>
  );
}

/** The payload as typed: a JSON object, or a sentence saying why not. */
function readPayload(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'the payload must be a JSON object' };
    return { ok: true, value: value as Record<string, unknown> };
  } catch (error) {
    return { ok: false, error: `the payload is not valid JSON: ${(error as Error).message}` };
  }
}

/**
 * Sends a catalog event to this endpoint through its real ingest URL, signed with its settings.
 * The sample is shown (and editable) before sending, with the event's JSON Schema; an untouched
 * sample is sent with fresh ids, so two test events are never duplicates.
 */
export function TestEventForm({ endpoint }: { endpoint: EndpointView }) {
  const api = useApi();
  const { catalogs, catalogError } = useCatalogs(endpoint);
  const [chosen, setEvent] = useState('');
  const event = chosen || catalogs?.[0]?.events[0]?.name || '';
  const [payload, setPayload] = useState<string | null>(null); // null: the sample, untouched
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  const found = useMemo(() => {
    for (const catalog of catalogs ?? []) {
      const info = catalog.events.find((e) => e.name === event);
      if (info) return { catalog, info };
    }
    return null;
  }, [catalogs, event]);
  const sampleText = found ? JSON.stringify(found.info.sample, null, 2) : '';
  const text = payload ?? sampleText;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setOutcome(null);
    const edited = payload !== null && payload !== sampleText ? readPayload(payload) : null;
    if (edited && !edited.ok) return setOutcome({ ok: false, text: edited.error });
    setBusy(true);
    try {
      const json = { event, ...(edited?.ok && { payload: edited.value }) };
      const result = await api.request(testEventResultSchema, `/api/endpoints/${encodeURIComponent(endpoint.id)}/test-events`, { method: 'POST', json });
      setOutcome({ ok: true, result });
    } catch (error) {
      const unavailable = error instanceof ApiRequestError && ((error.status === 404 && /no API route/i.test(error.message)) || error.status === 501);
      setOutcome({ ok: false, text: unavailable ? 'This server cannot send test events (the test-events API is not available).' : errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };
  const own = endpoint.schema.catalog && endpoint.schema.catalog !== 'auto' ? endpoint.schema.catalog : null;

  return (
    <form className="form" onSubmit={submit}>
      <p className="muted" style={{ margin: 0 }}>Hookscope sends the payload below through this endpoint's real ingest URL, signed with its verification settings and with the headers a platform sends, so you can see the whole path work before pointing a platform at it.</p>
      {catalogError && <div className="notice notice--error">Cannot list the event catalogs: {catalogError}</div>}
      <Field label="Event" hint={found?.info.description}>
        <select className="select" value={event} disabled={!catalogs} onChange={(e) => { setEvent(e.target.value); setPayload(null); setOutcome(null); }}>
          {!catalogs && <option>Loading…</option>}
          {catalogs?.map((catalog) => (
            <optgroup key={catalog.name} label={catalog.name === own ? `${catalog.title} (this endpoint's schema)` : catalog.title}>
              {catalog.events.map((ev) => <option key={ev.name} value={ev.name}>{ev.name}</option>)}
            </optgroup>
          ))}
        </select>
      </Field>
      {found && (
        <Field label="Payload" hint={<>
          {found.catalog.encoding === 'form' ? 'Sent form-encoded (each field as text). ' : 'Sent as JSON. '}
          {payload === null || payload === sampleText ? 'Untouched, it goes out with fresh ids.' : 'Edited: sent exactly as written.'}
        </>}>
          <textarea className="textarea" rows={12} spellCheck={false} value={text} onChange={(e) => setPayload(e.target.value)} data-testid="test-event-payload" />
        </Field>
      )}
      {found && (
        <details className="schema-details">
          <summary>JSON Schema of {found.info.name}</summary>
          <pre className="code-block" data-testid="test-event-schema" tabIndex={0}>{JSON.stringify(found.info.jsonSchema, null, 2)}</pre>
        </details>
      )}
      <div className="field-actions">
        <button type="submit" className="btn btn--primary" disabled={busy || !event}><SendIcon /> {busy ? 'Sending…' : 'Send test event'}</button>
        {payload !== null && payload !== sampleText && <button type="button" className="btn" onClick={() => setPayload(null)}>Back to the sample</button>}
      </div>
      <OutcomeNotice outcome={outcome} />
    </form>
  );
}
