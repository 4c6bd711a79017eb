import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express } from 'express';
import { createEndpointRoutes } from './api/endpoint-routes';
import { createErrorHandler } from './api/error-handler';
import { requireToken } from './api/auth';
import { createRequestRoutes } from './api/request-routes';
import { createRuleRoutes } from './api/rule-routes';
import { createTestEventRoutes } from './api/test-event-routes';
import { createReplayRoutes } from './replay/replay-routes';
import type { ReplayServices } from './replay/services';
import { createTransferRoutes } from './replay/transfer-routes';
import { createAlertRoutes } from './alerts/alert-routes';
import type { AlertLedger } from './alerts/alert-ledger';
import { createIngestHandler, type IngestDeps } from './ingest/ingest-handler';
import type { Metrics } from './metrics';
import type { Store } from './store/store';
import type { Hub } from './stream/hub';
import { accessLog } from './access-log';
import { createOpenApiRoutes } from './openapi/openapi-routes';
import type { Logger } from './logging/logger';

export interface AppDeps {
  store: Store;
  hub: Hub;
  token: string;
  bodyLimit: number; // bytes
  trustProxy: boolean | number | string;
  now: () => number;
  /** Access lines (one per delivery and per API call) and unexpected errors. */
  logger: Logger;
  /** Built inspector (vite output); omitted in API-only tests. */
  webDir?: string;
  onStored?: IngestDeps['onStored'];
  /** Proxy-mode forward rules (the target's answer becomes the ingest reply). */
  proxy?: IngestDeps['proxy'];
  inFlight?: IngestDeps['inFlight'];
  random?: IngestDeps['random'];
  /** Memory budget, per-peer upload cap and rate limits of the public ingest. */
  limits: IngestDeps['limits'];
  /** Replay, bulk replay, export/import; their routes are mounted when given. */
  replay?: ReplayServices;
  /** Prometheus metrics, served at `/metrics` (token required: labels name endpoint ids) when given. */
  metrics?: Metrics;
  /** Where alert attempts are recorded; `GET /api/endpoints/:id/alerts/attempts` is mounted when given. */
  alertLedger?: AlertLedger;
}

/** Content-Security-Policy of the inspector: no inline script, nothing from elsewhere. */
export const INSPECTOR_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/** Wires every route; listening is the caller's business (server/serve.ts). */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', deps.trustProxy);

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = await deps.store.ready().catch(() => false);
    res.status(ready ? 200 : 503).json({ ready, store: deps.store.description });
  });
  if (deps.metrics) app.get('/metrics', requireToken(deps.token), deps.metrics.handler);

  app.use('/h', accessLog(deps.logger, 'delivery'));
  const ingest = createIngestHandler(deps);
  app.all('/h/:endpointId', ingest);
  app.all('/h/:endpointId/*rest', ingest);
  app.all(['/h', '/h/'], (_req, res) => {
    res.status(404).json({ error: 'send deliveries to /h/<endpoint id>, e.g. /h/default' });
  });

  const api = express.Router();
  api.use(accessLog(deps.logger, 'api'));
  api.use(requireToken(deps.token));
  if (deps.replay) api.use(createTransferRoutes(deps.replay)); // before the JSON parser: imports are read as raw bytes
  api.use(express.json({ limit: '2mb', type: ['application/json', 'application/*+json'] }));
  api.use(createEndpointRoutes(deps));
  api.use(createRequestRoutes(deps));
  api.use(createRuleRoutes(deps));
  if (deps.alertLedger) api.use(createAlertRoutes({ store: deps.store, ledger: deps.alertLedger }));
  api.use(createTestEventRoutes(deps));
  api.use(createOpenApiRoutes());
  if (deps.replay) api.use(createReplayRoutes(deps.replay));
  api.use((req, res) => {
    res.status(404).json({ error: `no API route ${req.method} /api${req.path}` });
  });
  app.use('/api', api);

  if (deps.webDir && existsSync(join(deps.webDir, 'index.html'))) serveInspector(app, deps.webDir);
  else app.get('/', (_req, res) => {
    res.type('text/plain').send('Hookscope is running. The inspector is not built: run `npm run build`.\n');
  });

  app.use(createErrorHandler(deps.logger));
  return app;
}

function serveInspector(app: Express, webDir: string): void {
  app.use((_req, res, next) => {
    res.setHeader('content-security-policy', INSPECTOR_CSP);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    next();
  });
  app.use(express.static(webDir, { index: false, maxAge: '1h', setHeaders: (res, path) => {
    if (path.endsWith('.html')) res.setHeader('cache-control', 'no-cache');
  } }));
  app.get('/{*rest}', (_req, res) => {
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(join(webDir, 'index.html'));
  });
}
