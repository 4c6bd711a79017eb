import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { Router } from 'express';
import { CATALOGS, findEvent, listCatalogs, testEventRequestSchema, type TestEventResult } from '../../shared/catalogs';
import { NotFoundError, ValidationError } from '../errors';
import { deliveryIdOf } from '../ingest/dedupe';
import type { OutgoingRequest } from '../delivery/outgoing-request';
import type { SigningClock } from '../signing/sign-request';
import type { Store } from '../store/store';
import { authenticateTestRequest } from '../signing/test-event-auth';
import { parseBody } from '../errors';
import { sendOverLoopback } from './loopback-send';

export interface TestEventRouteDeps {
  store: Store;
  now: () => number; // ms since epoch
}

/** This server's own ingest URL, reached over loopback through the socket the API call came in on. */
function ingestUrl(socket: Socket, endpointId: string): string {
  let host = (socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  if (host === '0.0.0.0' || host === '::') host = '127.0.0.1';
  return `http://${host.includes(':') ? `[${host}]` : host}:${socket.localPort}/h/${encodeURIComponent(endpointId)}`;
}

function bodyOf(sample: Record<string, unknown>, encoding: 'json' | 'form'): { body: Buffer; contentType: string } {
  if (encoding === 'form') {
    const fields = Object.entries(sample).map(([name, value]): [string, string] => [name, typeof value === 'string' ? value : JSON.stringify(value)]);
    return { body: Buffer.from(new URLSearchParams(fields).toString()), contentType: 'application/x-www-form-urlencoded' };
  }
  return { body: Buffer.from(JSON.stringify(sample)), contentType: 'application/json' };
}

/**
 * `GET /api/catalogs` (the built-in event catalogs) and `POST /api/endpoints/:id/test-events`:
 * generates the named event's sample (or takes the edited one given), signs it with the endpoint's scheme and sends it through
 * the real ingest path over HTTP; answers with the capture ingest stored.
 */
export function createTestEventRoutes({ store, now }: TestEventRouteDeps): Router {
  const router = Router();

  router.get('/catalogs', (_req, res) => {
    res.json(listCatalogs({ nowMs: now(), uniqueId: () => randomBytes(16).toString('hex') }));
  });

  router.post('/endpoints/:id/test-events', async (req, res) => {
    const input = parseBody(testEventRequestSchema, req.body, 'test event');
    const endpoint = await store.getEndpoint(req.params.id);
    if (!endpoint) throw new NotFoundError(`no endpoint with id "${req.params.id}"`);
    const found = findEvent(input.event);
    if (!found) {
      const names = CATALOGS.flatMap((c) => c.events.map((e) => e.name));
      throw new ValidationError(`unknown event "${input.event}"; GET /api/catalogs lists them`, names.map((name) => ({ path: 'event', message: name })));
    }
    const uniqueId = () => randomBytes(16).toString('hex');
    const { body, contentType } = bodyOf(input.payload ?? found.event.sample({ nowMs: now(), uniqueId }), found.catalog.encoding);
    const unsigned: OutgoingRequest = {
      method: 'POST',
      url: ingestUrl(req.socket, endpoint.id),
      headers: [['Content-Type', contentType], ['User-Agent', 'Hookscope-TestEvent/1'], ['X-Request-Id', `test-${uniqueId()}`]],
      body,
    };
    const clock: SigningClock = { nowSec: () => Math.floor(now() / 1000), newId: () => `msg_${uniqueId()}` };
    const { request, signedWith, notes } = await authenticateTestRequest(unsigned, endpoint.verify, clock);
    const status = await sendOverLoopback(request);
    // The delivery id ingest derives from these very headers finds the capture, whatever the reply body is.
    const deliveryId = deliveryIdOf({ endpointId: endpoint.id, method: 'POST', path: '', query: '', url: request.url, headers: request.headers, peer: '', body: request.body, receivedAt: 0 });
    const id = deliveryId === null ? null : await store.findByDeliveryId(endpoint.id, deliveryId);
    if (!id) throw new Error(`ingest answered ${status} but the test event's capture was not found`);
    const result: TestEventResult = { id, event: input.event, status, signedWith, notes };
    res.status(201).json(result);
  });

  return router;
}
