import type { CaptureView } from '../../../../../shared/capture';

/** The body's exact bytes from the API's `{ encoding, data }`. */
export function bodyBytes(body: CaptureView['body']): Uint8Array {
  if (body.encoding === 'utf8') return new TextEncoder().encode(body.data);
  const binary = atob(body.data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
