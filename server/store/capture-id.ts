import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

// Random bytes drawn 4 KiB at a time: one syscall per ~580 ids instead of one per id.
let pool = randomBytes(4096);
let poolAt = 0;

function randomSuffix(length: number): string {
  if (poolAt + length > pool.length) {
    pool = randomBytes(4096);
    poolAt = 0;
  }
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[(pool[poolAt + i] as number) % 36];
  poolAt += length;
  return out;
}

/**
 * Capture ids that sort (as strings) in the order they were made, after `after` when given:
 * 9 base-36 digits of milliseconds, 4 of a counter within that millisecond, 7 random.
 * A clock that steps back keeps the last time so order still holds.
 */
export function createCaptureIdGenerator(now: () => number = Date.now, after?: string): () => string {
  // Seeded with the newest stored id: a clock behind it (NTP step, restored VM) still sorts after.
  let lastMs = after ? parseInt(after.slice(0, 9), 36) || 0 : 0;
  let counter = after ? parseInt(after.slice(9, 13), 36) || 0 : 0;
  return () => {
    let ms = now();
    if (ms <= lastMs) {
      ms = lastMs;
      counter += 1;
      if (counter >= 36 ** 4) {
        ms = lastMs + 1;
        counter = 0;
      }
    } else {
      counter = 0;
    }
    lastMs = ms;
    return ms.toString(36).padStart(9, '0') + counter.toString(36).padStart(4, '0') + randomSuffix(7);
  };
}

/** Endpoint ids: 128 random bits, URL-safe base64 (22 characters). */
export function newEndpointId(): string {
  return randomBytes(16).toString('base64url');
}
