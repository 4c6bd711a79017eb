import type { RequestHandler } from 'express';
import { HttpError } from '../errors';
import { sameText } from '../signing/digests';

/** Constant-time token check (both sides hashed first, so lengths never differ). */
export const tokenMatches = sameText;

/** Requires `Authorization: Bearer <token>` on every request it guards. */
export function requireToken(token: string): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) {
      next(new HttpError(401, 'missing token: send "Authorization: Bearer <token>" (the token is in the data folder, file `token`, or in HOOKSCOPE_TOKEN)'));
      return;
    }
    if (!tokenMatches(token, (match[1] as string).trim())) {
      next(new HttpError(401, 'wrong token'));
      return;
    }
    next();
  };
}
