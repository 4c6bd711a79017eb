import { isUtf8 } from 'node:buffer';

/** Strict UTF-8 decode (a BOM kept as U+FEFF), or null when the bytes are not valid UTF-8. */
export function utf8OrNull(bytes: Buffer): string | null {
  return isUtf8(bytes) ? bytes.toString('utf8') : null;
}
