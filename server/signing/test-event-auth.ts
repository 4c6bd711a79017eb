import { SignJWT } from 'jose';
import type { VerifyConfig } from '../../shared/verify-config';
import { resignRequest, type SigningClock } from './sign-request';
import { setHeader, type OutgoingRequest } from '../delivery/outgoing-request';
import { sha256Hex } from './digests';

/** A request made to pass an endpoint's checks, and what was (not) applied. */
export interface AuthenticatedRequest {
  request: OutgoingRequest;
  /** Schemes applied: `hmac:github`, `jwt`, `header-token`. */
  signedWith: string[];
  /** Schemes that could not be applied, and why. */
  notes: string[];
}

/** The body signature, signed over the URL the verifier will reconstruct (Twilio's `hmac.url`). */
function signBody(request: OutgoingRequest, verify: VerifyConfig, clock: SigningClock): OutgoingRequest {
  const publicUrl = verify.hmac?.url;
  if (!publicUrl) return resignRequest(request, verify, undefined, clock);
  // The verifier signs hmac.url + sub-path + query; the test event is sent to the bare ingest URL.
  const signed = resignRequest({ ...request, url: publicUrl.replace(/[?#].*$/, '').replace(/\/$/, '') }, verify, undefined, clock);
  const query = new URL(signed.url).search;
  return { ...signed, url: `${request.url}${query}` };
}

/** An HS* token with the configured claims, for endpoints whose JWT key is a shared secret. */
async function signJwt(request: OutgoingRequest, verify: VerifyConfig, nowSec: number): Promise<OutgoingRequest> {
  const jwt = verify.jwt;
  if (!jwt || jwt.key.type !== 'secret') return request;
  const alg = jwt.algorithms?.[0] ?? 'HS256';
  const builder = new SignJWT(jwt.bodyHashClaim ? { [jwt.bodyHashClaim]: sha256Hex(request.body) } : {})
    .setProtectedHeader({ alg, typ: 'JWT' })
    .setIssuedAt(nowSec)
    .setExpirationTime(nowSec + 300);
  if (jwt.issuer) builder.setIssuer(jwt.issuer);
  if (jwt.audience) builder.setAudience(jwt.audience);
  const token = await builder.sign(new TextEncoder().encode(jwt.key.value));
  const header = jwt.header ?? 'Authorization';
  return { ...request, headers: setHeader(request.headers, header, header.toLowerCase() === 'authorization' ? `Bearer ${token}` : token) };
}

/**
 * Signs / authenticates a test event the way the endpoint's platform would, so it passes the
 * endpoint's own checks: the HMAC preset (shared with replay's re-signing), an HS* JWT when the key
 * is a shared secret, and the static header tokens. Asymmetric schemes (SendGrid, JWT with a public
 * key) cannot be produced — only the platform holds the private key — and are noted instead.
 */
export async function authenticateTestRequest(request: OutgoingRequest, verify: VerifyConfig, clock: SigningClock): Promise<AuthenticatedRequest> {
  const signedWith: string[] = [];
  const notes: string[] = [];
  let out = request;
  if (verify.hmac?.preset === 'sendgrid') notes.push('sendgrid: signed with SendGrid\'s private key, which only SendGrid holds; sent unsigned');
  else if (verify.hmac) {
    out = signBody(out, verify, clock);
    signedWith.push(`hmac:${verify.hmac.preset}`);
  }
  if (verify.jwt?.key.type === 'secret') {
    out = await signJwt(out, verify, clock.nowSec());
    signedWith.push('jwt');
  } else if (verify.jwt) notes.push(`jwt: the key is a ${verify.jwt.key.type} public key, so only the platform can mint tokens; sent without one`);
  if (verify.headerToken) {
    const tokens = Array.isArray(verify.headerToken) ? verify.headerToken : [verify.headerToken];
    const seen = new Set<string>();
    for (const token of tokens) {
      if (seen.has(token.header.toLowerCase())) continue;
      seen.add(token.header.toLowerCase());
      out = { ...out, headers: setHeader(out.headers, token.header, token.value) };
    }
    signedWith.push('header-token');
  }
  return { request: out, signedWith, notes };
}
