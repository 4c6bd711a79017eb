import { SKIPPED_SCHEMA } from '../../shared/verdicts';
import type { NewCapture } from '../store/store';
import { eventTypeOf } from '../validate/event-type';

/**
 * The event type of an imported capture whose file does not name one (another tool's HAR, an
 * older export): found the way ingest finds it, from the catalog verdict, headers and body.
 */
export function importedEventType(capture: Omit<NewCapture, 'eventType'>): string | null {
  // A view of the body, not the body: parsed bodies are remembered by their Buffer (for ingest's
  // several checks), and an import holds thousands of bodies at once — keyed by this short-lived
  // view, each parse is garbage as soon as the type is known instead of living through the import.
  const delivery = { ...capture, body: capture.body.subarray(), url: `http://import/h/${capture.endpointId}${capture.path}` };
  return eventTypeOf(delivery, capture.verdicts.schema.eventType ? capture.verdicts.schema : SKIPPED_SCHEMA);
}
