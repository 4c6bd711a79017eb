import type { VerifyConfig } from '../../shared/verify-config';
import { SKIPPED_SIGNATURE, type SignatureVerdict } from '../../shared/verdicts';
import type { RawDelivery } from '../ingest/capture';

export interface VerifyContext {
  now: () => number; // ms since epoch
}

/** The signature verdict of a delivery under an endpoint's `verify` config. */
export async function verifyDelivery(_delivery: RawDelivery, config: VerifyConfig, _context: VerifyContext): Promise<SignatureVerdict> {
  if (config.mode === 'off') return SKIPPED_SIGNATURE;
  return { status: 'skipped', scheme: 'none', reason: 'no signature scheme is configured' };
}
