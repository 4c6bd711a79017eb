// An import worker thread (started by transfer-threads.ts): checks and parses its pieces of an
// import file and gives the main thread their delivery ids; then, given the ids the store chose,
// makes each capture (preview, event type, search text) and encodes its records (batch-encode.ts)
// one at a time, handing each piece's bytes over (moved, not copied) as soon as it is done, so
// the main thread writes it while the rest are being encoded.
import { parentPort } from 'node:worker_threads';
import { bodyPreview } from '../delivery/body-preview';
import { CaptureEncoder, type EncodedPart } from '../store/batch-encode';
import type { StoredCapture } from '../store/store';
import { HttpError } from '../errors';
import type { TransferWorkerReply, TransferWorkerRequest } from './transfer-threads';
import { readRawCaptures } from '../store/raw-capture';
import { harText, jsonlText } from './export-text';
import { parseImportRecords, type ImportRecords } from './transfer';

const port = parentPort;
if (!port) throw new Error('transfer-worker.ts runs as a worker thread');

/** The pieces parsed and not yet encoded, by their index in the file. */
let parsed = new Map<number, { records: ImportRecords; bytes: number }>();

function failure(error: unknown, piece?: number): TransferWorkerReply {
  const status = error instanceof HttpError ? error.status : 500;
  const details = error instanceof HttpError ? error.details : undefined;
  return { kind: 'failed', status, http: error instanceof HttpError, message: error instanceof Error ? error.message : String(error), ...(details && { details }), ...(piece !== undefined && { piece }) };
}

function parse(request: Extract<TransferWorkerRequest, { kind: 'parse' }>): TransferWorkerReply {
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

function encode(request: Extract<TransferWorkerRequest, { kind: 'encode' }>): void {
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
    const reply: TransferWorkerReply = { kind: 'part', index: piece.index, part };
    port?.postMessage(reply, [...part.records, ...part.search, part.summaries, part.lengths].map((bytes) => bytes.buffer as ArrayBuffer));
  }
}

/** An export page: its captures read and checked as readRawAfter reads them, as export text; each entry led by `,\n` (HAR) or ended by `\n` (JSON Lines). */
async function exportPage(request: Extract<TransferWorkerRequest, { kind: 'export' }>): Promise<TransferWorkerReply> {
  const raws = await readRawCaptures(request.places.place, request.places.entries);
  const texts = raws.map((raw) => (request.format === 'jsonl' ? `${jsonlText(raw)}\n` : `,\n${harText(raw, request.baseUrl)}`));
  const joined = texts.join('');
  // A buffer of its own (never a slice of the shared pool): it is moved to the main thread.
  const text = Buffer.allocUnsafeSlow(Buffer.byteLength(joined));
  text.write(joined);
  return { kind: 'exported', text, count: raws.length };
}

async function handle(request: TransferWorkerRequest): Promise<void> {
  try {
    if (request.kind === 'parse') {
      port?.postMessage(parse(request));
    } else if (request.kind === 'export') {
      const reply = await exportPage(request);
      port?.postMessage(reply, reply.kind === 'exported' ? [reply.text.buffer as ArrayBuffer] : []);
    } else {
      encode(request);
      const reply: TransferWorkerReply = { kind: 'encoded' };
      port?.postMessage(reply);
    }
  } catch (error) {
    if (request.kind !== 'export') parsed = new Map();
    port?.postMessage(failure(error));
  }
}

// One request at a time, answered in the order asked (an export page awaits its reads).
let turn: Promise<void> = Promise.resolve();
port.on('message', (request: TransferWorkerRequest) => {
  turn = turn.then(() => handle(request));
});
