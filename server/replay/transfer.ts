import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { jsonlCaptureSchema, type ImportResult, type TransferFormat } from '../../shared/replay';
import { ValidationError } from '../errors';
import { bodyPreview } from '../delivery/body-preview';
import { summaryOf } from '../store/capture-record';
import type { NewCapture, Store, StoredCapture } from '../store/store';
import type { Hub } from '../stream/hub';
import { captureOfHarEntry, harEntryOf } from './har';
import { harSchema } from './har-schema';
import { captureOfJsonl, jsonlLineOf } from './jsonl';

const PAGE = 200;

/** Every capture of an endpoint with its bytes, oldest first; captures deleted meanwhile are skipped. */
export async function* capturesOf(store: Store, endpointId: string): AsyncGenerator<StoredCapture> {
  let cursor: string | undefined;
  for (;;) {
    const page = await store.listAfter(endpointId, cursor, PAGE);
    for (const summary of page) {
      const capture = await store.get(summary.id);
      if (capture) yield capture;
    }
    if (page.length < PAGE) return;
    cursor = page[page.length - 1]?.id;
  }
}

async function write(out: Writable, text: string): Promise<void> {
  if (out.write(text)) return;
  // A client that goes away never drains: stop at 'close' too, rather than wait forever.
  await Promise.race([once(out, 'drain'), once(out, 'close')]);
  if (out.destroyed) throw new Error('the client went away during the export');
}

/** Streams an endpoint's captures as a HAR 1.2 document or JSON Lines, one capture in memory at a time. */
export async function writeExport(out: Writable, store: Store, endpointId: string, format: TransferFormat, baseUrl: string, version: string): Promise<void> {
  if (format === 'jsonl') {
    for await (const capture of capturesOf(store, endpointId)) await write(out, `${JSON.stringify(jsonlLineOf(capture))}\n`);
    return;
  }
  const creator = { name: 'Hookscope', version };
  await write(out, `{"log":{"version":"1.2","creator":${JSON.stringify(creator)},"entries":[`);
  let first = true;
  for await (const capture of capturesOf(store, endpointId)) {
    await write(out, `${first ? '\n' : ',\n'}${JSON.stringify(harEntryOf(capture, baseUrl))}`);
    first = false;
  }
  await write(out, '\n]}}\n');
}

/** HAR when the document is a JSON object with `log`, JSON Lines otherwise (unless the format is given). */
export function sniffFormat(bytes: Buffer): TransferFormat {
  return /^\s*\{\s*"log"\s*:/.test(bytes.subarray(0, 64).toString('utf8')) ? 'har' : 'jsonl';
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`${where} is not valid JSON: ${(error as Error).message}`, []);
  }
}

/** Parses an export file into captures for `endpointId`; ValidationError (400) names each bad entry. */
export function parseImport(bytes: Buffer, format: TransferFormat, endpointId: string): NewCapture[] {
  if (format === 'har') {
    const parsed = harSchema.safeParse(parseJson(bytes.toString('utf8'), 'the HAR file'));
    if (!parsed.success) throw ValidationError.fromZod('HAR 1.2 file', parsed.error);
    return parsed.data.log.entries.map((entry) => captureOfHarEntry(entry, endpointId));
  }
  const captures: NewCapture[] = [];
  const lines = bytes.toString('utf8').split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const parsed = jsonlCaptureSchema.safeParse(parseJson(line, `line ${index + 1}`));
    if (!parsed.success) throw ValidationError.fromZod(`JSON Lines record on line ${index + 1}`, parsed.error);
    captures.push(captureOfJsonl(parsed.data, endpointId));
  }
  return captures;
}

/**
 * Appends the captures in file order (they get new ids, sorting after the endpoint's existing
 * ones), marks repeats of a delivery id already held, and publishes each on the stream. Imported
 * captures do not trigger the endpoint's forward rule: they were delivered long ago.
 */
export async function importCaptures(deps: { store: Store; hub: Hub }, captures: NewCapture[]): Promise<ImportResult> {
  const ids: string[] = [];
  for (const capture of captures) {
    const duplicateOf = capture.deliveryId === null ? null : await deps.store.findByDeliveryId(capture.endpointId, capture.deliveryId);
    const stored = await deps.store.append({ ...capture, duplicateOf, preview: bodyPreview(capture.headers, capture.body) });
    ids.push(stored.id);
    await deps.hub.publish({ type: 'capture', capture: summaryOf(stored) });
  }
  return { imported: ids.length, ids };
}
