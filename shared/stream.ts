import { z } from 'zod';
import { captureSummarySchema, replayAttemptSchema } from './capture';
import { endpointViewSchema } from './endpoint';
import { bulkJobSchema } from './replay';
import { alertAttemptSchema } from './alerts';

/** Close code the server uses when the first message does not carry a valid token. */
export const STREAM_CLOSE_UNAUTHORIZED = 4401;
/** Close code for a consumer that fell too far behind; it should reconnect and resume. */
export const STREAM_CLOSE_TOO_SLOW = 4408;
/** Close code for a malformed client message. */
export const STREAM_CLOSE_BAD_MESSAGE = 4400;

export const streamSubscriptionSchema = z.object({
  endpointId: z.string().min(1).max(64),
  /** Last capture id the client has; the server first sends everything after it. */
  cursor: z.string().max(64).optional(),
});

export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auth'), token: z.string().max(512) }),
  z.object({ type: z.literal('subscribe'), subscriptions: z.array(streamSubscriptionSchema).min(1).max(1000) }),
  z.object({ type: z.literal('unsubscribe'), endpointIds: z.array(z.string()).min(1).max(1000) }),
  z.object({ type: z.literal('ping') }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const serverMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** A capture, missed (catch-up) or live; in id order per endpoint. */
  z.object({ type: z.literal('capture'), capture: captureSummarySchema }),
  /** Everything missed since the cursor has been sent for this endpoint; live captures follow. */
  z.object({ type: z.literal('caught-up'), endpointId: z.string() }),
  z.object({ type: z.literal('capture-deleted'), endpointId: z.string(), id: z.string() }),
  z.object({ type: z.literal('captures-cleared'), endpointId: z.string() }),
  z.object({ type: z.literal('endpoint-updated'), endpoint: endpointViewSchema }),
  z.object({ type: z.literal('endpoint-deleted'), endpointId: z.string() }),
  z.object({ type: z.literal('replay-result'), endpointId: z.string(), captureId: z.string(), attempt: replayAttemptSchema }),
  /** Counters of a bulk replay (same fields as `GET /api/replay-jobs/:jobId`); the last one has `finished: true`. */
  bulkJobSchema.extend({ type: z.literal('bulk-progress') }),
  /** An alert message was sent for a window, or tried (`attempt.error` / a non-2xx `attempt.status`). */
  z.object({ type: z.literal('alert-sent'), endpointId: z.string(), attempt: alertAttemptSchema }),
  /** How far an export or import of an endpoint has got (at most ~5 a second; the last one has `finished: true`). */
  z.object({
    type: z.literal('transfer-progress'), endpointId: z.string(), transferId: z.string(), direction: z.enum(['export', 'import']),
    done: z.number().int(), total: z.number().int(), finished: z.boolean(),
  }),
  z.object({ type: z.literal('pong') }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;

/** The stream messages that concern one endpoint's subscribers. */
export type HubEvent = Extract<
  ServerMessage,
  { type: 'capture' | 'capture-deleted' | 'captures-cleared' | 'endpoint-updated' | 'endpoint-deleted' | 'replay-result' | 'bulk-progress' | 'alert-sent' | 'transfer-progress' }
>;

/** The endpoint an event concerns. */
export function eventEndpointId(event: HubEvent): string {
  switch (event.type) {
    case 'capture':
      return event.capture.endpointId;
    case 'endpoint-updated':
      return event.endpoint.id;
    default:
      return event.endpointId;
  }
}
