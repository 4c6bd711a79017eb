import { Router } from 'express';
import { listQuerySchema } from '../../shared/api';
import { createEndpointSchema, updateEndpointSchema, type Endpoint } from '../../shared/endpoint';
import { parseQuery, QuerySyntaxError, type CaptureQuery } from '../../shared/query';
import { NotFoundError, ValidationError } from '../errors';
import { newEndpointId } from '../store/capture-id';
import type { Store } from '../store/store';
import type { Hub } from '../stream/hub';
import { applyUpdate, buildEndpoint, endpointView } from './endpoint-config';
import { parseBody } from '../errors';

/** The `q` of a list request, or a 400 naming the position and what was expected there. */
function parseSearch(q: string): CaptureQuery {
  try {
    return parseQuery(q);
  } catch (error) {
    if (!(error instanceof QuerySyntaxError)) throw error;
    throw new ValidationError(`invalid search: ${error.message}`, [{ path: 'q', message: error.message, position: error.position }]);
  }
}

export interface EndpointRouteDeps {
  store: Store;
  hub: Hub;
  now: () => number;
  /** Where each endpoint's count of rate-limited deliveries is kept (this instance, since start). */
  limits?: { rates: { limitedCount(endpointId: string): number } };
}

/** `/api/endpoints…`: endpoint CRUD and each endpoint's capture list. */
export function createEndpointRoutes({ store, hub, now, limits }: EndpointRouteDeps): Router {
  const router = Router();
  const view = async (endpoint: Endpoint) => endpointView(endpoint, await store.count(endpoint.id), limits?.rates.limitedCount(endpoint.id));
  const requireEndpoint = async (id: string) => {
    const endpoint = await store.getEndpoint(id);
    if (!endpoint) throw new NotFoundError(`no endpoint with id "${id}"`);
    return endpoint;
  };

  router.get('/endpoints', async (_req, res) => {
    res.json(await Promise.all((await store.listEndpoints()).map(view)));
  });

  router.post('/endpoints', async (req, res) => {
    const input = parseBody(createEndpointSchema, req.body, 'endpoint');
    const created = await store.createEndpoint(buildEndpoint(newEndpointId(), input, now()));
    const shown = await view(created);
    await hub.publish({ type: 'endpoint-updated', endpoint: shown });
    res.status(201).json(shown);
  });

  router.get('/endpoints/:id', async (req, res) => {
    res.json(await view(await requireEndpoint(req.params.id)));
  });

  router.patch('/endpoints/:id', async (req, res) => {
    const input = parseBody(updateEndpointSchema, req.body, 'endpoint update');
    const updated = await store.updateEndpoint(applyUpdate(await requireEndpoint(req.params.id), input, now()));
    const shown = await view(updated);
    await hub.publish({ type: 'endpoint-updated', endpoint: shown });
    res.json(shown);
  });

  router.delete('/endpoints/:id', async (req, res) => {
    await store.deleteEndpoint(req.params.id);
    await hub.publish({ type: 'endpoint-deleted', endpointId: req.params.id });
    res.status(204).end();
  });

  router.get('/endpoints/:id/requests', async (req, res) => {
    const { q, ...paging } = parseBody(listQuerySchema, req.query, 'query');
    res.json(await store.list(req.params.id, { ...paging, ...(q !== undefined && q.trim() !== '' && { query: parseSearch(q) }) }));
  });

  router.delete('/endpoints/:id/requests', async (req, res) => {
    await requireEndpoint(req.params.id);
    const deleted = await store.clearCaptures(req.params.id);
    await hub.publish({ type: 'captures-cleared', endpointId: req.params.id });
    res.json({ deleted });
  });

  return router;
}
