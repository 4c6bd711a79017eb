import type { ErrorRequestHandler } from 'express';
import { HttpError } from '../errors';
import type { Logger } from '../logging/logger';

/** Maps every error to `{ error, details? }` with its status; unknown errors are 500 and logged with their cause. */
export function createErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof HttpError) {
      const retryAfter = (error as { retryAfterSec?: unknown }).retryAfterSec;
      if (typeof retryAfter === 'number') res.setHeader('retry-after', String(retryAfter));
      // 5xx: the store failed (503, 507…) or a capture is damaged: the operator needs the cause.
      if (error.status >= 500) logger.error({ err: error, method: req.method, path: req.originalUrl.split('?')[0], status: error.status }, error.message);
      res.status(error.status).json(error.details ? { error: error.message, details: error.details } : { error: error.message });
      return;
    }
    const status = (error as { status?: unknown; type?: string }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const type = (error as { type?: string }).type;
      const message =
        type === 'entity.parse.failed' ? 'the request body is not valid JSON'
        : type === 'entity.too.large' ? 'the request body is too large'
        : type === 'encoding.unsupported' ? 'the request body has an unsupported encoding'
        : (error as Error).message || 'bad request';
      res.status(status).json({ error: message });
      return;
    }
    logger.error({ err: error, method: req.method, path: req.originalUrl.split('?')[0] }, 'unexpected error');
    res.status(500).json({ error: 'internal error; see the server log' });
  };
}
