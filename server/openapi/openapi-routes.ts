import { Router } from 'express';
import { API_ROUTES } from '../../shared/api-routes';
import { PACKAGE_VERSION } from '../package-files';
import { buildOpenApiDocument } from './document';

/** `GET /api/openapi.json` (behind the token like every /api route); built on first request, then kept. */
export function createOpenApiRoutes(): Router {
  const router = Router();
  let document: string | null = null;
  router.get('/openapi.json', (_req, res) => {
    document ??= JSON.stringify(buildOpenApiDocument(API_ROUTES, PACKAGE_VERSION));
    res.type('application/json').send(document);
  });
  return router;
}
