import type { JsonlCapture } from '../../shared/replay';

// The limits of jsonlCaptureSchema (shared/replay.ts), which stays the definition: this file only
// recognises lines it would accept, and anything else goes to it.
const MAX_METHOD = 20; // characters
const MAX_PATH = 8192; // characters
const MAX_QUERY = 65_536; // characters
const MAX_PEER = 200; // characters
const MAX_EVENT_TYPE = 200; // characters

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringUpTo = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max;

function headersOf(value: unknown): [string, string][] | null {
  if (!Array.isArray(value)) return null;
  for (const pair of value) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') return null;
  }
  return value as [string, string][];
}

function replyOf(value: unknown): JsonlCapture['reply'] | null {
  if (value === undefined) return undefined;
  if (!isObject(value) || !Number.isSafeInteger(value.status)) return null;
  const { status, rejected } = value as { status: number; rejected?: unknown };
  if (rejected === undefined) return { status };
  return typeof rejected === 'string' ? { status, rejected } : null;
}

/**
 * A parsed JSON Lines record as jsonlCaptureSchema.safeParse would give it, checked by hand for
 * the shape exports have (zod costs several µs a line, and imports read tens of thousands); null
 * for anything else, which is then left to the schema — its answer, and its error messages, decide.
 */
export function wellFormedJsonl(value: unknown): JsonlCapture | null {
  if (!isObject(value)) return null;
  const { id, receivedAt, method, path, query, peer = '', body, verdicts, deliveryId, eventType } = value;
  if (id !== undefined && typeof id !== 'string') return null;
  if (typeof receivedAt !== 'number' || !Number.isFinite(receivedAt)) return null;
  if (!isStringUpTo(method, MAX_METHOD) || method.length === 0 || !isStringUpTo(path, MAX_PATH) || !isStringUpTo(query, MAX_QUERY)) return null;
  if (!isStringUpTo(peer, MAX_PEER)) return null;
  const headers = headersOf(value.headers);
  if (!headers || !isObject(body) || (body.encoding !== 'utf8' && body.encoding !== 'base64') || typeof body.data !== 'string') return null;
  const reply = replyOf(value.reply);
  if (reply === null) return null;
  if (deliveryId !== undefined && deliveryId !== null && typeof deliveryId !== 'string') return null;
  if (eventType !== undefined && eventType !== null && !isStringUpTo(eventType, MAX_EVENT_TYPE)) return null;
  return {
    ...(id !== undefined && { id }), receivedAt, method, path, query, peer, headers, body: { encoding: body.encoding, data: body.data },
    ...(reply !== undefined && { reply }), ...(verdicts !== undefined && { verdicts }),
    ...(deliveryId !== undefined && { deliveryId }), ...(eventType !== undefined && { eventType }),
  };
}
