import { SKIPPED_SCHEMA } from '../../shared/verdicts';
import { jsonSearchText, rememberBodySearchText, searchTextSharesJsonParse } from '../delivery/search-text';
import type { NewCapture } from '../store/store';
import { eventTypeOf } from '../validate/event-type';

/**
 * The JSON value of a body that the search text (bodySearchText) and the event type
 * (parsedBodyOf) would both get by JSON.parse of the same text: not compressed, not a form,
 * valid UTF-8 starting with `{` or `[` once its BOM and leading space are dropped. Undefined for
 * any other body, which then takes those paths unchanged.
 */
function sharedJsonOf(capture: Pick<NewCapture, 'headers' | 'body'>, text: string | undefined): unknown {
  const { headers, body } = capture;
  if (!searchTextSharesJsonParse(headers, body)) return undefined;
  try {
    return JSON.parse((text ?? body.toString('utf8')).replace(/^\uFEFF/, '')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The event type of an imported capture whose file does not name one (another tool's HAR, an
 * older export): found the way ingest finds it, from the catalog verdict, headers and body.
 */
function importedEventType(capture: Omit<NewCapture, 'eventType'>, json: unknown): string | null {
  // A view of the body, not the body: parsed bodies are remembered by their Buffer (for ingest's
  // several checks), and an import holds thousands of bodies at once — keyed by this short-lived
  // view, each parse is garbage as soon as the type is known instead of living through the import.
  const delivery = { ...capture, body: capture.body.subarray(), url: `http://import/h/${capture.endpointId}${capture.path}` };
  const schema = capture.verdicts.schema.eventType ? capture.verdicts.schema : SKIPPED_SCHEMA;
  return eventTypeOf(delivery, schema, json === undefined ? undefined : { kind: 'json', value: json });
}

/**
 * An imported capture completed (in place): its event type (the file's `named` one, else found from the
 * capture), and its body's search text made ready for the store. A JSON body is parsed once for
 * both (an import of ~1 KiB JSON bodies otherwise spends much of its time parsing each twice).
 * `text`, when given, is the body decoded as UTF-8 (body.toString('utf8')), which the file held.
 */
export function completeImported(capture: NewCapture, named: string | null | undefined, text?: string): NewCapture {
  const json = sharedJsonOf(capture, text);
  // The search text first: whatever a catalog detector does with the value, the text is made from it untouched.
  if (json !== undefined) rememberBodySearchText(capture.body, jsonSearchText(json));
  // Set on the capture rather than spread into a copy: one object per capture, all of one shape.
  capture.eventType = named ?? importedEventType(capture, json);
  return capture;
}
