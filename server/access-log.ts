import { performance } from 'node:perf_hooks';
import type { Request, RequestHandler, Response } from 'express';
import type { CaptureSummary } from '../shared/capture';
import type { Logger } from './logging/logger';

/** Ingest notes the capture it stored on the response, for the delivery's access line. */
export function noteCapture(res: Response, capture: CaptureSummary): void {
  res.locals.capture = capture;
}

/** The request path without its query string (a query may carry a platform's own secrets). */
function pathOf(req: Request): string {
  const url = req.originalUrl;
  const cut = url.indexOf('?');
  return cut === -1 ? url : url.slice(0, cut);
}

/** `/h/<endpoint id>[/…]` → the endpoint id, as sent (for lines about deliveries refused before a capture). */
function endpointOf(path: string): string | undefined {
  const id = /^\/h\/([^/]+)/.exec(path)?.[1];
  if (id === undefined) return undefined;
  try {
    return decodeURIComponent(id);
  } catch {
    return id;
  }
}

function responseBytes(res: Response): number | undefined {
  const length = Number(res.getHeader('content-length'));
  return Number.isFinite(length) ? length : undefined;
}

/**
 * One access line per request once its answer is sent (or the client left): for `delivery`,
 * endpoint, capture id, method, path, status, body bytes received, verdicts, ms; for `api`,
 * method, path, status, response bytes, ms. Never a header, a query string or a body: the token
 * and the platforms' secrets travel in those.
 */
export function accessLog(logger: Logger, kind: 'delivery' | 'api'): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    let written = false;
    const write = () => {
      if (written) return;
      written = true;
      const ms = Math.round((performance.now() - started) * 10) / 10;
      const path = pathOf(req);
      const aborted = !res.writableFinished;
      const line = kind === 'delivery' ? deliveryFields(req, res, path) : { method: req.method, path, status: res.statusCode, bytes: responseBytes(res) };
      logger.info({ kind, ...line, ms, ...(aborted && { aborted }) }, `${kind} ${req.method} ${path} ${res.statusCode}`);
    };
    res.once('finish', write);
    res.once('close', write);
    next();
  };
}

function deliveryFields(req: Request, res: Response, path: string): Record<string, unknown> {
  const capture = res.locals.capture as CaptureSummary | undefined;
  const received = Number(req.headers['content-length']);
  return {
    endpoint: capture?.endpointId ?? endpointOf(path),
    capture: capture?.id,
    method: req.method,
    path,
    status: res.statusCode,
    bytes: capture?.size ?? (Number.isFinite(received) ? received : undefined),
    signature: capture?.verdicts.signature.status,
    schema: capture?.verdicts.schema.status,
    ...(capture?.eventType && { event: capture.eventType }),
    ...(capture?.duplicateOf && { duplicateOf: capture.duplicateOf }),
  };
}
