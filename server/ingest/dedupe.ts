import { headerValue, type RawDelivery } from './capture';

/** Headers platforms put their delivery id in, most specific first. */
const DELIVERY_ID_HEADERS = [
  'webhook-id',
  'svix-id',
  'x-github-delivery',
  'x-shopify-webhook-id',
  'i-twilio-idempotency-token',
  'x-request-id',
];

/** The platform's id for this delivery (same on a retry), or null when it gives none. */
export function deliveryIdOf(delivery: RawDelivery): string | null {
  for (const name of DELIVERY_ID_HEADERS) {
    const value = headerValue(delivery.headers, name);
    if (value) return `${name}:${value}`.slice(0, 300);
  }
  return null;
}
