import { Router, type Request } from 'express';
import { bulkReplayRequestSchema, curlRequestSchema, replayRequestSchema, reportedAttemptSchema } from '../../shared/replay';
import type { Endpoint } from '../../shared/endpoint';
import { parseBody } from '../errors';
import { ConflictError, NotFoundError } from '../errors';
import { bodyNotKept } from '../../shared/capture';
import type { Store, StoredCapture } from '../store/store';
import { newAttemptId, recordAttempt } from './attempt';
import { curlCommand } from './curl';
import { prepareReplay, replayCapture } from './replay-one';
import type { ReplayServices } from './services';

export async function requireCapture(store: Store, id: string): Promise<StoredCapture> {
  const capture = await store.get(id);
  if (!capture) throw new NotFoundError(`no request with id "${id}" (deleted, or evicted by retention)`);
  return capture;
}

/** A replay or curl command needs bytes: 409 for a delivery refused before its body was kept, unless a body is given. */
function requireBody(capture: StoredCapture, replacement: unknown): void {
  if (replacement === undefined && bodyNotKept(capture, capture.body.length)) {
    throw new ConflictError(`request ${capture.id} was refused at ingest (${capture.reply.rejected ?? 'rejected'}), so its body was not kept: there is nothing to send; give a replacement body`);
  }
}

export async function requireEndpoint(store: Store, id: string): Promise<Endpoint> {
  const endpoint = await store.getEndpoint(id);
  if (!endpoint) throw new NotFoundError(`no endpoint with id "${id}"`);
  return endpoint;
}

/** Base URL deliveries reach this Hookscope at: the configured public URL, else what the API caller used. */
export function publicBase(req: Request, publicUrl: string | undefined): string {
  return (publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(/\/$/, '');
}

/**
 * Replay routes (see README "Replay and forward"): one replay, copy as curl, attempts reported by
 * `hookscope forward`, bulk replay jobs.
 */
export function createReplayRoutes(services: ReplayServices): Router {
  const { store } = services;
  const router = Router();

  router.post('/requests/:id/replay', async (req, res) => {
    const input = parseBody(replayRequestSchema, req.body, 'replay request');
    const capture = await requireCapture(store, req.params.id);
    requireBody(capture, input.body);
    res.json(await replayCapture(services, capture, await requireEndpoint(store, capture.endpointId), input));
  });

  router.post('/requests/:id/curl', async (req, res) => {
    const input = parseBody(curlRequestSchema, req.body, 'curl request');
    const capture = await requireCapture(store, req.params.id);
    requireBody(capture, input.body);
    const endpoint = await requireEndpoint(store, capture.endpointId);
    const original = `${publicBase(req, services.publicUrl)}/h/${encodeURIComponent(capture.endpointId)}`;
    const outgoing = prepareReplay(capture, endpoint, { ...input, url: input.url ?? original, appendPath: input.url ? input.appendPath : true }, services.clock);
    res.json(curlCommand(outgoing, `hookscope-${capture.id}`));
  });

  router.post('/requests/:id/attempts', async (req, res) => {
    const input = parseBody(reportedAttemptSchema, req.body, 'attempt');
    const capture = await requireCapture(store, req.params.id);
    const attempt = { ...input, id: newAttemptId(), kind: 'cli' as const };
    await recordAttempt(services, capture.endpointId, capture.id, attempt);
    res.status(201).json(attempt);
  });

  router.post('/endpoints/:id/replay', async (req, res) => {
    const input = parseBody(bulkReplayRequestSchema, req.body, 'bulk replay request');
    res.status(202).json(await services.bulk.start(await requireEndpoint(store, req.params.id), input));
  });

  router.get('/replay-jobs/:jobId', (req, res) => {
    const job = services.bulk.get(req.params.jobId);
    if (!job) throw new NotFoundError(`no bulk replay job "${req.params.jobId}"`);
    res.json(job);
  });

  router.post('/replay-jobs/:jobId/cancel', async (req, res) => {
    const job = await services.bulk.cancel(req.params.jobId);
    if (!job) throw new NotFoundError(`no bulk replay job "${req.params.jobId}"`);
    res.json(job);
  });

  return router;
}
