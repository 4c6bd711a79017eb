import { describe, expect, it } from 'vitest';
import type { HeaderPairs } from '../../../shared/capture';
import type { HmacConfig } from '../../../shared/verify-config';
import type { RawDelivery } from '../../../server/delivery/raw-delivery';
import { resignRequest } from '../../../server/signing/sign-request';
import { verifyDelivery } from '../../../server/verify';

// Re-signing is the mirror image of verification: whatever Hookscope signs, Hookscope's own
// verifier (server/verify, written independently) must call valid.
const json = Buffer.from('{"id":"evt_1","text":"caf\\u00e9"}');
const form = Buffer.from('To=%2B1555&Body=hi+there&Body=again');
const swSecret = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;

const cases: [string, HmacConfig, HeaderPairs, Buffer][] = [
  ['github', { preset: 'github', secret: 'gh' }, [['Content-Type', 'application/json']], json],
  ['meta', { preset: 'meta', secret: 'app-secret' }, [['Content-Type', 'application/json']], json],
  ['stripe', { preset: 'stripe', secret: 'whsec_abc' }, [['Content-Type', 'application/json']], json],
  ['slack', { preset: 'slack', secret: 'slack-secret' }, [['Content-Type', 'application/x-www-form-urlencoded']], form],
  ['shopify', { preset: 'shopify', secret: 'shp' }, [['Content-Type', 'application/json']], json],
  ['standard-webhooks', { preset: 'standard-webhooks', secret: swSecret }, [['Content-Type', 'application/json']], json],
  ['svix headers', { preset: 'standard-webhooks', secret: swSecret }, [['svix-id', 'msg_x'], ['svix-timestamp', '1'], ['svix-signature', 'v1,x']], json],
  ['twilio form', { preset: 'twilio', secret: 'tw-token' }, [['Content-Type', 'application/x-www-form-urlencoded']], form],
  ['twilio json', { preset: 'twilio', secret: 'tw-token' }, [['Content-Type', 'application/json']], json],
  ['custom', { preset: 'custom', secret: 'c', header: 'X-Sig', prefix: 'v1=', encoding: 'base64', template: '{id}:{timestamp}:{body}', timestampHeader: 'X-Ts', idHeader: 'X-Id' }, [], json],
];

describe('a re-signed request verifies with Hookscope\'s own verifier', () => {
  it.each(cases)('%s', async (_name, hmac, headers, body) => {
    const config = { mode: 'enforce' as const, hmac };
    const signed = resignRequest({ method: 'POST', url: 'http://127.0.0.1:3000/hook?x=1', headers, body }, config, undefined);
    const { pathname, search } = new URL(signed.url);
    const delivery: RawDelivery = {
      endpointId: 'e', method: 'POST', path: pathname, query: search.slice(1), url: signed.url,
      headers: [['Host', '127.0.0.1:3000'], ...signed.headers], peer: '127.0.0.1', body, receivedAt: Date.now(),
    };
    const verdict = await verifyDelivery(delivery, config, { now: Date.now });
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ status: 'valid' });
  });
});
