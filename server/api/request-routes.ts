import { Router } from 'express';
import { NotFoundError } from '../errors';
import type { Store } from '../store/store';
import type { Hub } from '../stream/hub';
import { captureView, MAX_DELIVERY_ATTEMPTS } from './capture-view';

/** `/api/requests/:id…`: one capture, its raw body, its deletion. */
export function createRequestRoutes({ store, hub }: { store: Store; hub: Hub }): Router {
  const router = Router();
  const requireCapture = async (id: string) => {
    const capture = await store.get(id);
    if (!capture) throw new NotFoundError(`no request with id "${id}" (deleted, or evicted by retention)`);
    return capture;
  };

  router.get('/requests/:id', async (req, res) => {
    const capture = await requireCapture(req.params.id);
    const attempts = capture.deliveryId === null ? undefined : await store.deliveryAttempts(capture.endpointId, capture.deliveryId, MAX_DELIVERY_ATTEMPTS);
    res.json(captureView(capture, attempts));
  });

  router.get('/requests/:id/body', async (req, res) => {
    const capture = await requireCapture(req.params.id);
    res.setHeader('content-type', capture.contentType ?? 'application/octet-stream');
    res.setHeader('content-disposition', `attachment; filename="${capture.id}.body"`);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('content-security-policy', "default-src 'none'; sandbox");
    res.end(capture.body);
  });

  router.delete('/requests/:id', async (req, res) => {
    const endpointId = await store.deleteCapture(req.params.id);
    if (endpointId === null) throw new NotFoundError(`no request with id "${req.params.id}"`);
    await hub.publish({ type: 'capture-deleted', endpointId, id: req.params.id });
    res.status(204).end();
  });

  return router;
}
