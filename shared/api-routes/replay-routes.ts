import { z } from 'zod';
import { replayAttemptSchema } from '../capture';
import {
  bulkJobSchema, bulkReplayRequestSchema, curlCommandSchema, curlRequestSchema, importResultSchema, jsonlCaptureSchema,
  replayRequestSchema, replayResultSchema, reportedAttemptSchema, transferQuerySchema,
} from '../replay';
import { named, type ApiRoute } from './route';

const BulkJob = named('BulkJob', bulkJobSchema);
const NO_CAPTURE = 'no capture with this id (deleted, or evicted by retention)';
const NO_ENDPOINT = 'no endpoint with this id';
const NO_JOB = 'no bulk replay job with this id';
const REFUSED = 'the target policy (--replay-allow, metadata addresses) refuses the URL; nothing was sent';

/**
 * A HAR 1.2 export (server/replay/har.ts writes it). Described loosely here: HAR is its own
 * format; Hookscope's fields ride in `_hookscope` on each entry.
 */
const harFileSchema = z.looseObject({
  log: z.looseObject({
    version: z.literal('1.2'),
    creator: z.looseObject({ name: z.string(), version: z.string() }),
    entries: z.array(z.looseObject({ startedDateTime: z.string(), request: z.looseObject({}), response: z.looseObject({}), _hookscope: z.looseObject({}).optional() })),
  }),
});

/** Replay, copy as curl, attempts reported by `hookscope forward`, bulk jobs, export and import (server/replay). */
export const replayRoutes: ApiRoute[] = [
  {
    method: 'post', path: '/api/requests/:id/replay', operationId: 'replayCapture', tag: 'replay',
    summary: 'Send a capture to a URL, optionally edited or re-signed', params: { id: 'capture id' },
    description: 'Answers 200 even when the target failed: see `attempt.error`.',
    body: named('ReplayRequest', replayRequestSchema),
    responses: { 200: { description: 'what was sent and what the target answered', json: named('ReplayResult', replayResultSchema) } },
    errors: { 400: 'the body is not a valid replay request, or the capture cannot be re-signed', 403: REFUSED, 404: NO_CAPTURE },
  },
  {
    method: 'post', path: '/api/requests/:id/curl', operationId: 'captureAsCurl', tag: 'replay',
    summary: 'A POSIX sh curl command that sends exactly the capture\'s bytes', params: { id: 'capture id' },
    body: named('CurlRequest', curlRequestSchema),
    responses: { 200: { description: 'the command', json: named('CurlCommand', curlCommandSchema) } },
    errors: { 400: 'the body is not a valid curl request', 404: NO_CAPTURE },
  },
  {
    method: 'post', path: '/api/requests/:id/attempts', operationId: 'reportAttempt', tag: 'replay',
    summary: 'Record what a local handler answered (how `hookscope forward` reports)', params: { id: 'capture id' },
    body: named('ReportedAttempt', reportedAttemptSchema),
    responses: { 201: { description: 'the stored attempt (kind `cli`)', json: named('ReplayAttempt', replayAttemptSchema) } },
    errors: { 400: 'the body is not a valid attempt', 404: NO_CAPTURE },
  },
  {
    method: 'post', path: '/api/endpoints/:id/replay', operationId: 'startBulkReplay', tag: 'replay',
    summary: 'Replay many captures of an endpoint (by ids or a filter), oldest first', params: { id: 'endpoint id' },
    body: named('BulkReplayRequest', bulkReplayRequestSchema),
    responses: { 202: { description: 'the job, started; progress also goes out as `bulk-progress` stream messages', json: BulkJob } },
    errors: { 400: 'the body is not valid, ids are not the endpoint\'s, or the filter matches over 10,000 captures', 403: REFUSED, 404: NO_ENDPOINT },
  },
  {
    method: 'get', path: '/api/replay-jobs/:jobId', operationId: 'getBulkReplay', tag: 'replay',
    summary: 'A bulk replay job\'s progress', params: { jobId: 'bulk replay job id' },
    responses: { 200: { description: 'the job', json: BulkJob } },
    errors: { 404: NO_JOB },
  },
  {
    method: 'post', path: '/api/replay-jobs/:jobId/cancel', operationId: 'cancelBulkReplay', tag: 'replay',
    summary: 'Stop a bulk replay (the capture in flight is aborted)', params: { jobId: 'bulk replay job id' },
    responses: { 200: { description: 'the final job', json: BulkJob } },
    errors: { 404: NO_JOB },
  },
  {
    method: 'get', path: '/api/endpoints/:id/export', operationId: 'exportCaptures', tag: 'transfer',
    summary: 'Every capture of an endpoint, oldest first, as HAR 1.2 or JSON Lines (byte-exact)',
    params: { id: 'endpoint id', format: '`har` (default) or `jsonl`' },
    query: transferQuerySchema,
    responses: {
      200: {
        description: 'the file, as an attachment; JSON Lines carries one `JsonlCapture` per line',
        media: { 'application/json': named('HarFile', harFileSchema), 'application/x-ndjson': named('JsonlCapture', jsonlCaptureSchema) },
      },
    },
    errors: { 400: 'an unknown format', 404: NO_ENDPOINT },
  },
  {
    method: 'post', path: '/api/endpoints/:id/import', operationId: 'importCaptures', tag: 'transfer',
    summary: 'Append the captures of a HAR or JSON Lines file to an endpoint, in file order, with new ids',
    params: { id: 'endpoint id', format: '`har` or `jsonl`; sniffed from the file when absent' },
    query: transferQuerySchema,
    rawBody: { description: 'the file, read as raw bytes whatever its content type (at most 64 MiB)', media: { 'application/json': named('HarFile', harFileSchema), 'application/x-ndjson': named('JsonlCapture', jsonlCaptureSchema) } },
    responses: { 201: { description: 'ids of the new captures, in order', json: named('ImportResult', importResultSchema) } },
    errors: { 400: 'the file is not valid HAR 1.2 or JSON Lines (each bad entry named)', 404: NO_ENDPOINT, 413: 'the file is over 64 MiB' },
  },
];
