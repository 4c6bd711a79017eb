import { Router } from 'express';
import { alertAttemptsQuerySchema, type AlertAttempt } from '../../shared/alerts';
import { NotFoundError, parseBody } from '../errors';
import type { Store } from '../store/store';
import type { AlertLedger } from './alert-ledger';

/** `GET /api/endpoints/:id/alerts/attempts?limit=`: the endpoint's alert messages sent or tried, newest first. */
export function createAlertRoutes({ store, ledger }: { store: Store; ledger: AlertLedger }): Router {
  const router = Router();
  router.get('/endpoints/:id/alerts/attempts', async (req, res) => {
    if (!(await store.getEndpoint(req.params.id))) throw new NotFoundError(`no endpoint with id "${req.params.id}"`);
    const { limit } = parseBody(alertAttemptsQuerySchema, req.query, 'query');
    const items: AlertAttempt[] = await ledger.list(req.params.id, limit);
    res.json({ items });
  });
  return router;
}
