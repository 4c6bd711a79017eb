import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { headerValue, type RawDelivery } from '../delivery/raw-delivery';

/** A body as the schema checks see it. */
export type ParsedBody =
  | { kind: 'json'; value: unknown }
  | { kind: 'form'; value: Record<string, string> }
  | { kind: 'unparsed'; reason: string };

const MAX_DECODED = 10 * 1024 * 1024; // bytes a compressed body may expand to

/** Parsed bodies by their bytes: validate and dedupe look at the same body without parsing it twice. */
const parsed = new WeakMap<Buffer, ParsedBody>();

function decompressed(body: Buffer, encoding: string): Buffer {
  const options = { maxOutputLength: MAX_DECODED };
  if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(body, options);
  if (encoding === 'deflate') return inflateSync(body, options);
  if (encoding === 'br') return brotliDecompressSync(body, options);
  throw new Error(`Content-Encoding ${encoding} is not supported`);
}

function parse(delivery: RawDelivery): ParsedBody {
  let body = delivery.body;
  if (body.length === 0) return { kind: 'unparsed', reason: 'the body is empty' };
  const encoding = headerValue(delivery.headers, 'content-encoding')?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    try {
      body = decompressed(body, encoding);
    } catch (error) {
      return { kind: 'unparsed', reason: `the ${encoding} body could not be decoded (${(error as Error).message})` };
    }
  }
  const type = (headerValue(delivery.headers, 'content-type') ?? '').toLowerCase();
  const text = body.toString('utf8').replace(/^\uFEFF/, '');
  if (type.includes('application/x-www-form-urlencoded')) {
    const value: Record<string, string> = {};
    for (const [name, v] of new URLSearchParams(text)) if (!(name in value)) value[name] = v;
    return { kind: 'form', value };
  }
  try {
    return { kind: 'json', value: JSON.parse(text) };
  } catch (error) {
    return { kind: 'unparsed', reason: `the body is not JSON (${(error as Error).message})` };
  }
}

/**
 * The delivery's body parsed once: form fields for `application/x-www-form-urlencoded`, JSON
 * otherwise (whatever the Content-Type says — senders mislabel), decompressed first when a
 * Content-Encoding says so. The bytes themselves are never changed.
 */
export function parsedBodyOf(delivery: RawDelivery): ParsedBody {
  let result = parsed.get(delivery.body);
  if (!result) {
    result = parse(delivery);
    parsed.set(delivery.body, result);
  }
  return result;
}

/** The parsed body if something already parsed it (the schema check), without parsing it now. */
export function peekParsedBody(delivery: RawDelivery): ParsedBody | undefined {
  return parsed.get(delivery.body);
}
