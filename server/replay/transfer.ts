import { randomUUID } from 'node:crypto';
import type { CaptureSummary } from '../../shared/capture';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { jsonlCaptureSchema, type ImportResult, type JsonlCapture, type TransferFormat } from '../../shared/replay';
import { ValidationError } from '../errors';
import { bodyPreview } from '../delivery/body-preview';
import { summaryOf } from '../store/capture-record';
import type { RawCapture } from '../store/raw-capture';
import type { NewCapture, Store, StoredCapture } from '../store/store';
import type { Hub } from '../stream/hub';
import { captureOfHarEntry, harEntryOf } from './har';
import { harText, jsonlText } from './export-text';
import { harSchema } from './har-schema';
import { captureOfJsonl, jsonlDeliveryId, jsonlLineOf } from './jsonl';
import type { TransferThreads } from './transfer-threads';
import { wellFormedJsonl } from './jsonl-shape';

const PAGE = 1000; // captures per bulk read
const PAGE_BYTES = 8 * 1024 * 1024; // bytes per bulk read
const CHUNK = 1024 * 1024; // characters written to the client at once

/** Every capture of an endpoint with its bytes, oldest first, a bulk read at a time; captures deleted meanwhile are skipped. */
export async function* capturesOf(store: Store, endpointId: string): AsyncGenerator<StoredCapture> {
  let cursor: string | undefined;
  for (;;) {
    const page = await store.readAfter(endpointId, cursor, PAGE, PAGE_BYTES);
    if (page.length === 0) return;
    yield* page;
    cursor = page[page.length - 1]?.id;
  }
}

/** capturesOf as stored JSON text (Store.readRawAfter): exports copy it rather than re-serialize it. */
async function* rawCapturesOf(store: Store, endpointId: string): AsyncGenerator<RawCapture> {
  let cursor: string | undefined;
  for (;;) {
    const page = await (store.readRawAfter as NonNullable<Store['readRawAfter']>)(endpointId, cursor, PAGE, PAGE_BYTES);
    if (page.length === 0) return;
    yield* page;
    cursor = page[page.length - 1]?.id;
  }
}

async function write(out: Writable, text: string | Buffer): Promise<void> {
  if (out.write(text)) return;
  // A client that goes away never drains: stop at 'close' too, rather than wait forever — and
  // remove the listener that did not fire, or they pile up over a long export.
  const waiting = new AbortController();
  await Promise.race([once(out, 'drain', { signal: waiting.signal }), once(out, 'close', { signal: waiting.signal })]).finally(() => waiting.abort());
  if (out.destroyed) throw new Error('the client went away during the export');
}

/** Told how many captures are done (of `total`), at most every PROGRESS_MS and once at the end. */
export type TransferProgress = (done: number, total: number, finished: boolean) => void;
const PROGRESS_MS = 200;

function throttled(report: TransferProgress | undefined, total: number): (done: number, finished?: boolean) => void {
  let last = 0;
  return (done, finished = false) => {
    const now = Date.now();
    if (!report || (!finished && now - last < PROGRESS_MS)) return;
    last = now;
    report(done, total, finished);
  };
}

/**
 * Streams an endpoint's captures as a HAR 1.2 document or JSON Lines: bulk reads of a segment at
 * a time, written in ~1 MiB pieces, so memory stays bounded and the client's pace is followed.
 */
export async function writeExport(
  out: Writable, store: Store, endpointId: string, format: TransferFormat, baseUrl: string, version: string, onProgress?: TransferProgress, threads?: TransferThreads,
): Promise<void> {
  const total = await store.count(endpointId);
  const progress = throttled(onProgress, total);
  let pending: string[] = [];
  let size = 0;
  let done = 0;
  const emit = async (text: string) => {
    pending.push(text);
    size += text.length;
    if (size < CHUNK) return;
    const piece = pending.join('');
    pending = [];
    size = 0;
    await write(out, piece);
    progress(done);
  };
  if (format === 'har') await emit(`{"log":{"version":"1.2","creator":${JSON.stringify({ name: 'Hookscope', version })},"entries":[`);
  const separator = () => (format === 'jsonl' ? '' : done === 0 ? '\n' : ',\n');
  if (threads?.exports(store, total)) {
    // Pages made into text in worker threads, written here in order as they come.
    if (pending.length > 0) await write(out, pending.splice(0).join(''));
    size = 0;
    for await (const page of threads.exportText(store, endpointId, format, baseUrl, { limit: PAGE, bytes: PAGE_BYTES })) {
      if (page.count === 0) continue;
      // Every HAR entry comes led by `,\n`: the document's first is led by `\n` alone.
      await write(out, format === 'har' && done === 0 ? page.text.subarray(1) : page.text);
      done += page.count;
      progress(done);
    }
  } else if (store.readRawAfter) {
    for await (const raw of rawCapturesOf(store, endpointId)) {
      await emit(format === 'jsonl' ? `${jsonlText(raw)}\n` : `${separator()}${harText(raw, baseUrl)}`);
      done += 1;
    }
  } else {
    for await (const capture of capturesOf(store, endpointId)) {
      await emit(format === 'jsonl' ? `${JSON.stringify(jsonlLineOf(capture))}\n` : `${separator()}${JSON.stringify(harEntryOf(capture, baseUrl))}`);
      done += 1;
    }
  }
  if (format === 'har') pending.push('\n]}}\n');
  if (pending.length > 0) await write(out, pending.join(''));
  progress(done, true);
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

/**
 * An export file checked and parsed, not yet made into captures: how many it holds, each one's
 * delivery id, and each capture made on demand (`capture(i)`, once each) — so a worker thread can
 * give the store the delivery ids first and then make, encode and drop one capture at a time.
 */
export interface ImportRecords {
  count: number;
  deliveryIds: (string | null)[];
  capture(index: number): NewCapture;
}

/**
 * Checks and parses an export file for `endpointId`; ValidationError (400) names each bad entry.
 * `firstLine`: how many lines of the file come before `bytes` (a part of a JSON Lines file parsed
 * in a worker thread), so errors name the file's line.
 */
export function parseImportRecords(bytes: Buffer, format: TransferFormat, endpointId: string, firstLine = 0): ImportRecords {
  if (format === 'har') {
    const parsed = harSchema.safeParse(parseJson(bytes.toString('utf8'), 'the HAR file'));
    if (!parsed.success) throw ValidationError.fromZod('HAR 1.2 file', parsed.error);
    const captures = parsed.data.log.entries.map((entry) => captureOfHarEntry(entry, endpointId));
    return { count: captures.length, deliveryIds: captures.map((capture) => capture.deliveryId), capture: (i) => captures[i] as NewCapture };
  }
  const records: (JsonlCapture | undefined)[] = [];
  const lines = bytes.toString('utf8').split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const value = parseJson(line, `line ${firstLine + index + 1}`);
    const checked = wellFormedJsonl(value);
    if (checked) {
      records.push(checked);
      continue;
    }
    const parsed = jsonlCaptureSchema.safeParse(value);
    if (!parsed.success) throw ValidationError.fromZod(`JSON Lines record on line ${firstLine + index + 1}`, parsed.error);
    records.push(parsed.data);
  }
  return {
    count: records.length,
    deliveryIds: records.map((record) => jsonlDeliveryId(record as JsonlCapture)),
    capture(i) {
      const record = records[i] as JsonlCapture;
      records[i] = undefined; // made once: its memory goes as the import moves on
      return captureOfJsonl(record, endpointId);
    },
  };
}

/** Parses an export file into captures for `endpointId`; ValidationError (400) names each bad entry. */
export function parseImport(bytes: Buffer, format: TransferFormat, endpointId: string): NewCapture[] {
  const records = parseImportRecords(bytes, format, endpointId);
  return Array.from({ length: records.count }, (_, i) => records.capture(i));
}

/**
 * Appends the captures in file order as one atomic batch (Store.importCaptures: all or none,
 * whatever crashes meanwhile; a retry with the same `importId` stores nothing twice). They get
 * new ids sorting after the endpoint's existing ones, repeats of a delivery id are marked, and
 * each is published on the stream once committed. Imported captures do not trigger the
 * endpoint's forward rule: they were delivered long ago. `captures` (parseImport's) get their previews in place.
 */
export async function importCaptures(
  deps: { store: Store; hub: Hub }, endpointId: string, captures: NewCapture[], importId: string = randomUUID(), onProgress?: TransferProgress,
): Promise<ImportResult> {
  // Previews are made here, as ingest makes them: an export file does not carry them. Set on the
  // captures parseImport made rather than on copies: one object of one shape per capture.
  for (const capture of captures) capture.preview = bodyPreview(capture.headers, capture.body);
  const stored = await deps.store.importCaptures(endpointId, captures, importId);
  return publishImported(deps.hub, stored.map(summaryOf), onProgress);
}

/**
 * Imports a whole export file: in worker threads when it is large and the store takes encoded
 * records (transfer-threads.ts), else parsed here (parseImport, importCaptures) — the same answer,
 * captures and stored bytes either way.
 */
export async function importFile(
  deps: { store: Store; hub: Hub; threads: TransferThreads }, endpointId: string, bytes: Buffer, format: TransferFormat, importId: string = randomUUID(), onProgress?: TransferProgress,
): Promise<ImportResult> {
  if (!deps.threads.applies(deps.store, bytes)) return importCaptures(deps, endpointId, parseImport(bytes, format, endpointId), importId, onProgress);
  return publishImported(deps.hub, await deps.threads.run(deps.store, endpointId, bytes, format, importId), onProgress);
}

/** Publishes each imported capture on the stream, once committed, with progress; the import's answer. */
async function publishImported(hub: Hub, summaries: CaptureSummary[], onProgress?: TransferProgress): Promise<ImportResult> {
  const progress = throttled(onProgress, summaries.length);
  for (const [i, summary] of summaries.entries()) {
    await hub.publish({ type: 'capture', capture: summary });
    progress(i + 1);
  }
  progress(summaries.length, true);
  return { imported: summaries.length, ids: summaries.map((summary) => summary.id) };
}
