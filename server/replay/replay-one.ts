import type { ReplayAttempt } from '../../shared/capture';
import type { Endpoint } from '../../shared/endpoint';
import type { BodyValue, HeaderOverrides, ReplayResult, Resign } from '../../shared/replay';
import { SECRET_MASK_PREFIX } from '../../shared/verify-config';
import type { Store, StoredCapture } from '../store/store';
import type { Hub } from '../stream/hub';
import { recordAttempt, toAttempt } from './attempt';
import type { Sender } from './http-send';
import { attemptSent, buildOutgoing, describeSent } from './outgoing';
import type { OutgoingRequest } from '../delivery/outgoing-request';
import { resignRequest, type SigningClock } from '../signing/sign-request';

export interface ReplayDeps {
  store: Store;
  hub: Hub;
  sender: Sender;
  /** Fresh timestamps/ids for re-signing; the system clock by default. */
  clock?: SigningClock;
}

/** How to replay: the target plus optional edits (the fields of a replay request). */
export interface ReplayOptions {
  url: string;
  headers?: HeaderOverrides;
  body?: BodyValue;
  appendPath?: boolean;
  resign?: Resign;
  timeoutMs?: number; // ms
  followRedirects?: boolean;
}

/** The request a replay would send, re-signed when asked. Throws ResignError (400) when re-signing is impossible. */
export function prepareReplay(capture: StoredCapture, endpoint: Endpoint, options: ReplayOptions, clock?: SigningClock): OutgoingRequest {
  const outgoing = buildOutgoing(capture, options);
  if (!options.resign) return outgoing;
  return resignRequest(outgoing, endpoint.verify, givenSecret(options.resign), clock);
}

/** The secret a resign request names; the inspector shows secrets masked, and a mask sent back means "the endpoint's own". */
export function givenSecret(resign: Resign): string | undefined {
  return resign.secret?.startsWith(SECRET_MASK_PREFIX) ? undefined : resign.secret;
}

/**
 * Replays one capture: sends it, stores the attempt on the capture and pushes it on the stream.
 * Rejects with TargetRefusedError (403) when the policy forbids the target — nothing was sent,
 * nothing recorded — and with ResignError (400); a target that fails is a result, not an error.
 */
export async function replayCapture(
  deps: ReplayDeps, capture: StoredCapture, endpoint: Endpoint, options: ReplayOptions,
  kind: ReplayAttempt['kind'] = 'replay', signal?: AbortSignal,
): Promise<ReplayResult> {
  const outgoing = prepareReplay(capture, endpoint, options, deps.clock);
  const outcome = await deps.sender.send(outgoing, { timeoutMs: options.timeoutMs, followRedirects: options.followRedirects, signal });
  const attempt = { ...toAttempt(outcome, kind), sent: attemptSent(outgoing, capture.body) };
  await recordAttempt(deps, capture.endpointId, capture.id, attempt);
  return { captureId: capture.id, attempt, sent: describeSent(outgoing) };
}
