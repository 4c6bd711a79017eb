import type { DeliveryAttempt } from '../../../../../shared/capture';

/** `250 ms`, `10 s`, `1.5 s`, `5 min`, `1 min 30 s`, `2 h`, `1 h 15 min`. */
export function formatDelay(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const sec = ms / 1000;
  if (sec < 10) return `${Number(sec.toFixed(1))} s`;
  if (sec < 60) return `${Math.round(sec)} s`;
  const min = Math.floor(sec / 60);
  const restSec = Math.round(sec - min * 60);
  if (min < 60) return restSec === 0 || min >= 10 ? `${Math.round(sec / 60)} min` : `${min} min ${restSec} s`;
  const h = Math.floor(min / 60);
  const restMin = Math.round(min - h * 60);
  return restMin === 0 ? `${h} h` : `${h} h ${restMin} min`;
}

/** Did the platform get an answer it counts as delivered (2xx)? */
export const succeeded = (status: number) => status >= 200 && status < 300;

/** What a status means to a sender: `503`, or `no answer` for a dropped / held connection. */
export const statusText = (status: number) => (status === 0 ? 'no answer' : String(status));

/** Gaps between consecutive attempts, ms. */
export function delaysOf(attempts: readonly DeliveryAttempt[]): number[] {
  return attempts.slice(1).map((a, i) => a.receivedAt - (attempts[i] as DeliveryAttempt).receivedAt);
}

/**
 * The schedule a platform followed, in one sentence: "Retried after 10 s, 1 min, 5 min
 * (backoff ×2); succeeded on attempt 4." Null for a delivery tried once.
 */
export function describeSchedule(attempts: readonly DeliveryAttempt[]): string | null {
  if (attempts.length < 2) return null;
  const delays = delaysOf(attempts);
  const ratios = delays.slice(1).map((d, i) => d / (delays[i] as number));
  const factor = ratios.length > 0 ? ratios.reduce((a, b) => a + b, 0) / ratios.length : 0;
  // A pattern needs at least three delays to be called one.
  const steady = ratios.length >= 2 && ratios.every((r) => Math.abs(r - factor) / factor < 0.25);
  const pattern = steady && factor >= 1.5 ? ` (backoff ×${Number(factor.toFixed(1))})` : steady && Math.abs(factor - 1) < 0.25 ? ' (evenly)' : '';
  const last = attempts[attempts.length - 1] as DeliveryAttempt;
  const outcome = succeeded(last.status)
    ? `succeeded on attempt ${attempts.length}`
    : `gave up after ${attempts.length} attempts, or has not retried yet`;
  return `Retried after ${delays.map(formatDelay).join(', ')}${pattern}; ${outcome}.`;
}
