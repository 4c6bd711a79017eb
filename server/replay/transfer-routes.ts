import { randomUUID } from 'node:crypto';
import express, { Router, type RequestHandler } from 'express';
import { transferQuerySchema } from '../../shared/replay';
import { parseBody } from '../errors';
import { importFile, sniffFormat, writeExport } from './transfer';
import { publicBase, requireEndpoint } from './replay-routes';
import type { ReplayServices } from './services';

export const MAX_IMPORT_BYTES = 64 * 1024 * 1024; // bytes of one import file (parsed whole: keeps memory bounded)

/**
 * Export and import of an endpoint's captures (HAR 1.2 or JSON Lines). Mounted before the API's
 * JSON parser: an import is read as raw bytes, whatever its content type, so bodies stay exact.
 */
export function createTransferRoutes(services: ReplayServices): Router {
  const { store, hub } = services;
  const router = Router();

  router.get('/endpoints/:id/export', async (req, res) => {
    const { format = 'har' } = parseBody(transferQuerySchema, req.query, 'query');
    const endpoint = await requireEndpoint(store, req.params.id);
    res.setHeader('content-type', format === 'har' ? 'application/json; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="hookscope-${endpoint.id}.${format === 'har' ? 'har' : 'jsonl'}"`);
    const transferId = randomUUID();
    res.setHeader('x-hookscope-transfer', transferId);
    res.setHeader('x-hookscope-captures', String(await store.count(endpoint.id)));
    await writeExport(res, store, endpoint.id, format, publicBase(req, services.publicUrl), services.version, (done, total, finished) => {
      void hub.publish({ type: 'transfer-progress', endpointId: endpoint.id, transferId, direction: 'export', done, total, finished });
    }, services.transferThreads);
    res.end();
  });

  // A large import's worker threads start while its body is being received.
  const warm: RequestHandler<{ id: string }> = (req, _res, next) => {
    services.transferThreads.warm(store, Number(req.get('content-length')));
    next();
  };

  router.post('/endpoints/:id/import', warm, express.raw({ type: () => true, limit: MAX_IMPORT_BYTES }), async (req, res) => {
    const query = parseBody(transferQuerySchema, req.query, 'query');
    const endpoint = await requireEndpoint(store, req.params.id);
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    // An Idempotency-Key makes a retry of an import whose answer was lost store nothing twice.
    const key = req.get('idempotency-key');
    const importId = key && /^[\x21-\x7e]{1,200}$/.test(key) ? key : randomUUID();
    const result = await importFile({ store, hub, threads: services.transferThreads }, endpoint.id, bytes, query.format ?? sniffFormat(bytes), importId, (done, total, finished) => {
      void hub.publish({ type: 'transfer-progress', endpointId: endpoint.id, transferId: importId, direction: 'import', done, total, finished });
    });
    res.status(201).json(result);
  });

  return router;
}
