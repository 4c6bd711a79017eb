import { unlink } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import { z } from 'zod';
import { endpointSchema, type Endpoint } from '../../shared/endpoint';
import { asStoreWriteError, CorruptDataError } from '../errors';
import { checksumHex } from './checksum';
import { readTextIfPresent, writeDurably } from './durable-json-file';

export interface EndpointsDocument {
  endpoints: Endpoint[];
}

const legacySchema = z.object({ version: z.literal(1), endpoints: z.array(endpointSchema) });
const HEAD = /^\{"version":2,"checksum":"([0-9a-f]{8})","endpoints":/;

/**
 * `endpoints.json`, version 2: `{"version":2,"checksum":"<crc32c>","endpoints":[…]}` where the
 * checksum covers the bytes of the endpoints array exactly as written. Replaced atomically
 * (temporary file, fsync, rename, folder fsync). Reading: absent → null; empty, not JSON, a
 * checksum that does not match or an invalid config → CorruptDataError (never overwritten by a
 * read). Version 1 (no checksum, written before checksums existed) is read as it is and written
 * as version 2 by the next change.
 */
export class EndpointsFile implements Adapter<EndpointsDocument> {
  constructor(readonly file: string) {}

  async read(): Promise<EndpointsDocument | null> {
    const text = await readTextIfPresent(this.file);
    if (text === null) return null;
    return parseEndpointsText(this.file, text);
  }

  async write(data: EndpointsDocument): Promise<void> {
    const endpoints = JSON.stringify(data.endpoints, null, 2);
    const text = `{"version":2,"checksum":"${checksumHex(endpoints)}","endpoints":${endpoints}}\n`;
    try {
      await writeDurably(this.file, text);
    } catch (error) {
      await unlink(`${this.file}.tmp`).catch(() => undefined); // a full disk gets its space back
      throw asStoreWriteError(error, 'endpoints.json');
    }
  }
}

/** The endpoints in a file's text; CorruptDataError saying what is wrong. */
export function parseEndpointsText(file: string, text: string): EndpointsDocument {
  if (text.length === 0) throw new CorruptDataError(file, 'the file is empty');
  const head = HEAD.exec(text);
  let parsed: unknown;
  if (head) {
    const endpoints = text.slice(head[0].length, text.endsWith('}\n') ? -2 : -1);
    if (checksumHex(endpoints) !== head[1]) throw new CorruptDataError(file, 'its checksum does not match its content (bytes were changed)');
    parsed = parseJson(file, endpoints);
    const result = z.array(endpointSchema).safeParse(parsed);
    if (!result.success) throw new CorruptDataError(file, `unexpected content: ${result.error.message}`);
    return { endpoints: result.data };
  }
  parsed = parseJson(file, text);
  const legacy = legacySchema.safeParse(parsed);
  if (!legacy.success) throw new CorruptDataError(file, `unexpected content: ${legacy.error.message}`);
  return { endpoints: legacy.data.endpoints };
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CorruptDataError(file, `not valid JSON: ${(error as Error).message}`);
  }
}
