import type { VerifyConfig } from '../../shared/verify-config';
import { SKIPPED_SIGNATURE, type SignatureVerdict } from '../../shared/verdicts';
import type { RawDelivery } from '../delivery/raw-delivery';
import { runtimeOf, type VerifyContext, type VerifyRuntime } from './context';
import { verifyHeaderTokens } from './header-token';
import { verifyHmac } from './hmac-verify';
import { verifyJwt } from './jwt';
import { verifySendgrid } from './sendgrid';

export { createVerifyContext, type VerifyContext } from './context';
export { answerHandshake, type HandshakeAnswer } from './handshake';

/** Each configured scheme's verdict, in config order (body signature, JWT, header tokens). */
async function schemeVerdicts(delivery: RawDelivery, config: VerifyConfig, runtime: VerifyRuntime): Promise<SignatureVerdict[]> {
  const verdicts: SignatureVerdict[] = [];
  if (config.hmac) {
    verdicts.push(config.hmac.preset === 'sendgrid' ? verifySendgrid(delivery, config.hmac, runtime) : verifyHmac(delivery, config.hmac, runtime.now(), () => runtime.doctorBudget.take(runtime.now())));
  }
  if (config.jwt) verdicts.push(await verifyJwt(delivery, config.jwt, runtime));
  if (config.headerToken) verdicts.push(verifyHeaderTokens(delivery, Array.isArray(config.headerToken) ? config.headerToken : [config.headerToken]));
  return verdicts;
}

/** Several schemes (e.g. AJO: a JWT plus static header parameters) must all pass; the first failure decides. */
function combine(verdicts: SignatureVerdict[]): SignatureVerdict {
  if (verdicts.length === 1) return verdicts[0] as SignatureVerdict;
  const failed = verdicts.find((v) => v.status !== 'valid');
  const others = verdicts.filter((v) => v !== failed).map(({ scheme, status }) => ({ scheme, status }));
  if (failed) return { ...failed, details: { ...failed.details, otherSchemes: others } };
  return {
    status: 'valid',
    scheme: verdicts.map((v) => v.scheme).join('+'),
    reason: verdicts.map((v) => v.reason).join('; '),
    details: Object.fromEntries(verdicts.map((v) => [v.scheme, v.details ?? {}])),
  };
}

/**
 * The signature verdict of a delivery under an endpoint's `verify` config: works on bytes and
 * headers only, never throws (an unexpected failure is an `invalid` verdict that says so), never
 * puts a secret in the verdict.
 */
export async function verifyDelivery(delivery: RawDelivery, config: VerifyConfig, context: VerifyContext): Promise<SignatureVerdict> {
  if (config.mode === 'off') return SKIPPED_SIGNATURE;
  try {
    const verdicts = await schemeVerdicts(delivery, config, runtimeOf(context));
    if (verdicts.length === 0) return { status: 'skipped', scheme: 'none', reason: 'no signature scheme is configured' };
    return combine(verdicts);
  } catch (error) {
    return { status: 'invalid', scheme: 'error', reason: `verification failed unexpectedly: ${(error as Error).message}` };
  }
}
