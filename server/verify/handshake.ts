import type { SignatureVerdict } from '../../shared/verdicts';
import type { VerifyConfig } from '../../shared/verify-config';
import type { RawDelivery } from '../delivery/raw-delivery';
import { sameText } from '../signing/digests';

/** The answer to a subscription handshake, and the verdict recorded with it. */
export interface HandshakeAnswer {
  status: number;
  contentType: string;
  body: string;
  verdict: SignatureVerdict;
}

const SCHEME = 'subscription-handshake';

/**
 * The GET subscription handshake (Meta / WhatsApp Cloud API and other WebSub-style senders):
 * `GET ?hub.mode=subscribe&hub.verify_token=<yours>&hub.challenge=<n>` is answered 200 with the
 * challenge as the body when the token matches, 403 otherwise. Null when the delivery is not a
 * handshake or the endpoint has no handshake configured.
 */
export function answerHandshake(delivery: RawDelivery, config: VerifyConfig): HandshakeAnswer | null {
  const handshake = config.subscriptionHandshake;
  if (!handshake || delivery.method !== 'GET') return null;
  const query = new URLSearchParams(delivery.query);
  if (query.get('hub.mode') !== 'subscribe') return null;
  const token = query.get('hub.verify_token') ?? '';
  const challenge = query.get('hub.challenge') ?? '';
  if (!sameText(handshake.verifyToken, token)) {
    const reason = token === '' ? 'the subscription handshake carries no hub.verify_token' : 'the hub.verify_token of the subscription handshake is not the configured one';
    return {
      status: 403,
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify({ error: reason }),
      verdict: { status: token === '' ? 'missing' : 'invalid', scheme: SCHEME, reason, hint: 'Copy the verify token from the endpoint settings into the platform\'s webhook configuration exactly.' },
    };
  }
  return {
    status: 200,
    contentType: 'text/plain; charset=utf-8',
    body: challenge,
    verdict: { status: 'valid', scheme: SCHEME, reason: 'the verify token matches; the challenge was echoed' },
  };
}
