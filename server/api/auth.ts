import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from '../errors';

/** Constant-time token check: both sides are hashed first so lengths never differ. */
export function tokenMatches(expected: string, given: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
}

/** Requires `Authorization: Bearer <token>` on every request it guards. */
export function requireToken(token: string): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) {
      next(new HttpError(401, 'missing token: send "Authorization: Bearer <token>" (the token is printed at start-up and kept in the data folder)'));
      return;
    }
    if (!tokenMatches(token, (match[1] as string).trim())) {
      next(new HttpError(401, 'wrong token'));
      return;
    }
    next();
  };
}
