import { fingerprint } from '../signing/digests';
import type { Endpoint } from '../../shared/endpoint';
import { SECRET_MASK_PREFIX } from '../../shared/verify-config';

export { fingerprint };

function mask(secret: string): string {
  return `${SECRET_MASK_PREFIX}${fingerprint(secret)}`;
}

function isMask(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(SECRET_MASK_PREFIX);
}

/** Applies `fn` to every secret-bearing field of an endpoint config, in place. */
function eachSecret(endpoint: Endpoint, fn: (value: string, path: string) => string): void {
  const verify = endpoint.verify;
  if (verify.hmac) {
    if (verify.hmac.secret !== undefined) verify.hmac.secret = fn(verify.hmac.secret, 'verify.hmac.secret');
    if (verify.hmac.secrets) verify.hmac.secrets = verify.hmac.secrets.map((s, i) => fn(s, `verify.hmac.secrets.${i}`));
  }
  if (verify.jwt?.key.type === 'secret') verify.jwt.key.value = fn(verify.jwt.key.value, 'verify.jwt.key.value');
  if (verify.headerToken) {
    const tokens = Array.isArray(verify.headerToken) ? verify.headerToken : [verify.headerToken];
    tokens.forEach((t, i) => (t.value = fn(t.value, `verify.headerToken.${i}.value`)));
  }
  if (verify.subscriptionHandshake) {
    verify.subscriptionHandshake.verifyToken = fn(verify.subscriptionHandshake.verifyToken, 'verify.subscriptionHandshake.verifyToken');
  }
}

/** A copy of the endpoint safe to send to a browser: every secret replaced by a mask. */
export function maskSecrets(endpoint: Endpoint): Endpoint {
  const copy = structuredClone(endpoint);
  eachSecret(copy, mask);
  return copy;
}

/** Secrets sent back still masked (the form was saved unchanged) keep their stored value. */
export function restoreMaskedSecrets(next: Endpoint, previous: Endpoint): Endpoint {
  const stored = new Map<string, string>();
  eachSecret(structuredClone(previous), (value, path) => {
    stored.set(path, value);
    return value;
  });
  const byMask = new Map([...stored.values()].map((value) => [mask(value), value]));
  eachSecret(next, (value, path) => (isMask(value) ? (byMask.get(value) ?? stored.get(path) ?? value) : value));
  return next;
}
