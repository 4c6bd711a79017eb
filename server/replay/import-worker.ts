// An import worker thread (started by import-threads.ts): checks and parses its pieces of an
// import file and gives the main thread their delivery ids; then, given the ids the store chose,
// makes each capture (preview, event type, search text) and encodes its records (batch-encode.ts)
// one at a time, handing each piece's bytes over (moved, not copied) as soon as it is done, so
// the main thread writes it while the rest are being encoded.
import { parentPort } from 'node:worker_threads';
import { bodyPreview } from '../delivery/body-preview';
import { CaptureEncoder, type EncodedPart } from '../store/batch-encode';
import type { StoredCapture } from '../store/store';
import { HttpError } from '../errors';
import type { ImportWorkerReply, ImportWorkerRequest } from './import-threads';
import { parseImportRecords, type ImportRecords } from './transfer';

const port = parentPort;
if (!port) throw new Error('import-worker.ts runs as a worker thread');

/** The pieces parsed and not yet encoded, by their index in the file. */
let parsed = new Map<number, { records: ImportRecords; bytes: number }>();

function failure(error: unknown, piece?: number): ImportWorkerReply {
  const status = error instanceof HttpError ? error.status : 500;
  const details = error instanceof HttpError ? error.details : undefined;
  return { kind: 'failed', status, message: error instanceof Error ? error.message : String(error), ...(details && { details }), ...(piece !== undefined && { piece }) };
}

function parse(request: Extract<ImportWorkerRequest, { kind: 'parse' }>): ImportWorkerReply {
  parsed = new Map();
  const deliveryIds: (string | null)[][] = [];
  for (const piece of request.pieces) {
    const bytes = Buffer.from(piece.bytes.buffer, piece.bytes.byteOffset, piece.bytes.byteLength);
    let records: ImportRecords;
    try {
      records = parseImportRecords(bytes, request.format, request.endpointId, piece.firstLine);
    } catch (error) {
      parsed = new Map();
      return failure(error, piece.index);
    }
    parsed.set(piece.index, { records, bytes: bytes.length });
    deliveryIds.push(records.deliveryIds);
  }
  return { kind: 'parsed', deliveryIds };
}

function encode(request: Extract<ImportWorkerRequest, { kind: 'encode' }>): void {
  for (const piece of request.pieces) {
    const made = parsed.get(piece.index);
    if (!made) throw new Error(`an import worker was asked to encode piece ${piece.index}, which it did not parse`);
    parsed.delete(piece.index);
    const { records, bytes } = made;
    // Records take about twice the file's bytes (metadata and search text beside each body).
    const encoder = new CaptureEncoder(2 * bytes + 65_536, true);
    for (let i = 0; i < records.count; i++) {
      const capture = records.capture(i) as StoredCapture;
      capture.preview = bodyPreview(capture.headers, capture.body);
      capture.id = piece.ids[i] as string;
      capture.duplicateOf = piece.duplicateOf[i] as string | null;
      capture.replays = [];
      encoder.add(capture);
    }
    const part = encoder.part() as EncodedPart;
    const reply: ImportWorkerReply = { kind: 'part', index: piece.index, part };
    port?.postMessage(reply, [...part.records, ...part.search, part.summaries, part.lengths].map((bytes) => bytes.buffer as ArrayBuffer));
  }
}

port.on('message', (request: ImportWorkerRequest) => {
  try {
    if (request.kind === 'parse') {
      port.postMessage(parse(request));
      return;
    }
    encode(request);
    const reply: ImportWorkerReply = { kind: 'encoded' };
    port.postMessage(reply);
  } catch (error) {
    parsed = new Map();
    port.postMessage(failure(error));
  }
});
