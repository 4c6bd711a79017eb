import type { EndpointView } from '../../../../../shared/endpoint';
import type { RateLimit } from '../../../../../shared/rate-limit';

/** The rate-limit fields of the settings form, as typed. */
export interface RateLimitDraft {
  rateLimitOn: boolean;
  ratePerSecond: string;
  rateBurst: string;
}

export function rateLimitDraft(endpoint: EndpointView): RateLimitDraft {
  const limit = endpoint.rateLimit ?? null;
  return {
    rateLimitOn: limit !== null,
    ratePerSecond: limit ? String(limit.perSecond) : '10',
    rateBurst: limit ? String(limit.burst) : '20',
  };
}

/** The `rateLimit` of the update: null when off (the server checks the numbers and names a bad one). */
export function rateLimitUpdate(draft: RateLimitDraft): RateLimit | null {
  if (!draft.rateLimitOn) return null;
  return { perSecond: Number(draft.ratePerSecond), burst: Number(draft.rateBurst) };
}
