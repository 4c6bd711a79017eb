import { Router } from 'express';
import type { AlertAttempt } from '../../shared/alerts';
import { NotFoundError } from '../errors';
import type { Store } from '../store/store';
import type { AlertLedger } from './alert-ledger';

/** `GET /api/endpoints/:id/alerts/attempts?limit=`: the endpoint's alert messages sent or tried, newest first. */
export function createAlertRoutes({ store, ledger }: { store: Store; ledger: AlertLedger }): Router {
  const router = Router();
  router.get('/endpoints/:id/alerts/attempts', async (req, res) => {
    if (!(await store.getEndpoint(req.params.id))) throw new NotFoundError(`no endpoint with id "${req.params.id}"`);
    const asked = Number(req.query.limit ?? 50);
    const limit = Number.isInteger(asked) && asked >= 1 ? Math.min(asked, 200) : 50;
    const items: AlertAttempt[] = await ledger.list(req.params.id, limit);
    res.json({ items });
  });
  return router;
}
