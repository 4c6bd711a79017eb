import type { ErrorRequestHandler } from 'express';
import { HttpError } from '../errors';

/** Maps every error to `{ error, details? }` with its status; unknown errors are 500 and logged. */
export function createErrorHandler(log: (message: string, error: unknown) => void): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof HttpError) {
      const retryAfter = (error as { retryAfterSec?: unknown }).retryAfterSec;
      if (typeof retryAfter === 'number') res.setHeader('retry-after', String(retryAfter));
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
    log('unexpected error', error);
    res.status(500).json({ error: 'internal error; see the server log' });
  };
}
