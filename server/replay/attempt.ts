import { randomBytes } from 'node:crypto';
import type { ReplayAttempt } from '../../shared/capture';
import { utf8OrNull } from '../delivery/body-text';
import type { Store } from '../store/store';
import type { Hub } from '../stream/hub';
import type { SendOutcome } from './http-send';

/** Attempt ids: random, 16 base64url characters. */
export function newAttemptId(): string {
  return randomBytes(12).toString('base64url');
}

/** The stored record of a send: status, headers and (capped) body bytes, or the error. */
export function toAttempt(outcome: SendOutcome, kind: ReplayAttempt['kind'], attempt?: number): ReplayAttempt {
  const result: ReplayAttempt = {
    id: newAttemptId(),
    kind,
    url: outcome.url,
    startedAt: outcome.startedAt,
    durationMs: Math.round(outcome.durationMs * 100) / 100,
  };
  if (outcome.status !== undefined) result.status = outcome.status;
  if (outcome.headers) result.headers = outcome.headers;
  if (outcome.body) {
    const text = utf8OrNull(outcome.body);
    result.body = text === null
      ? { encoding: 'base64', data: outcome.body.toString('base64'), truncated: outcome.truncated }
      : { encoding: 'utf8', data: text, truncated: outcome.truncated };
  }
  if (outcome.error !== undefined) result.error = outcome.error;
  if (attempt !== undefined) result.attempt = attempt;
  return result;
}

/** A 2xx answer. */
export function succeeded(attempt: ReplayAttempt): boolean {
  return attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300;
}

/**
 * Stores an attempt on its capture and pushes it on the stream. A capture deleted meanwhile is
 * not an error for the sender (the attempt simply has nowhere to go), so that is swallowed.
 */
export async function recordAttempt(deps: { store: Store; hub: Hub }, endpointId: string, captureId: string, attempt: ReplayAttempt): Promise<boolean> {
  try {
    await deps.store.addReplayAttempt(captureId, attempt);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return false;
    throw error;
  }
  await deps.hub.publish({ type: 'replay-result', endpointId, captureId, attempt });
  return true;
}
