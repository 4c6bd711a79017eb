import { createHash, createHmac } from 'node:crypto';
import { sign as octokitSign } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { verifyDelivery } from '../../../server/verify';
import { delivery, NOW_MS, tamper, verifyConfig } from './fixtures';

const ctx = { now: () => NOW_MS };
const fingerprint = (secret: string) => createHash('sha256').update(secret).digest('hex').slice(0, 8);
const body = JSON.stringify({ action: 'opened', number: 42, repository: { full_name: 'octo/hello' } });

describe('github preset', () => {
  const config = verifyConfig({ mode: 'enforce', hmac: { preset: 'github', secret: 'gh-secret' } });

  it('accepts a delivery signed by @octokit/webhooks-methods', async () => {
    const signature = await octokitSign('gh-secret', body);
    const verdict = await verifyDelivery(delivery({ body, headers: [['X-Hub-Signature-256', signature]] }), config, ctx);
    expect(verdict).toMatchObject({ status: 'valid', scheme: 'hmac:github' });
    expect(verdict.reason).toContain('HMAC-SHA256');
  });

  it("accepts GitHub's documented example (secret \"It's a Secret to Everybody\", body \"Hello, World!\")", async () => {
    const docs = verifyConfig({ mode: 'enforce', hmac: { preset: 'github', secret: "It's a Secret to Everybody" } });
    const signature = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    const verdict = await verifyDelivery(delivery({ body: 'Hello, World!', headers: [['x-hub-signature-256', signature]] }), docs, ctx);
    expect(verdict.status).toBe('valid');
  });

  it('accepts the legacy X-Hub-Signature sha1 header alone', async () => {
    const sha1 = `sha1=${createHmac('sha1', 'gh-secret').update(body).digest('hex')}`;
    const verdict = await verifyDelivery(delivery({ body, headers: [['X-Hub-Signature', sha1]] }), config, ctx);
    expect(verdict.status).toBe('valid');
    expect(verdict.reason).toContain('HMAC-SHA1');
  });

  it('rejects one changed byte, with the digests truncated and the secret only as a fingerprint', async () => {
    const signature = await octokitSign('gh-secret', body);
    const verdict = await verifyDelivery(delivery({ body: tamper(body), headers: [['X-Hub-Signature-256', signature]] }), config, ctx);
    expect(verdict.status).toBe('invalid');
    expect(verdict.reason).toMatch(/does not match the HMAC-SHA256/);
    const shown = JSON.stringify(verdict);
    expect(shown).not.toContain('gh-secret');
    expect(shown).not.toContain(signature.slice(7)); // the full received digest is never echoed
    expect(verdict.details?.secrets).toEqual([fingerprint('gh-secret')]);
    expect((verdict.details?.received as { digest: string }[])[0]?.digest).toMatch(/^[0-9a-f]{12}…$/);
  });

  it('rejects a wrong secret', async () => {
    const signature = await octokitSign('another-secret', body);
    const verdict = await verifyDelivery(delivery({ body, headers: [['X-Hub-Signature-256', signature]] }), config, ctx);
    expect(verdict.status).toBe('invalid');
    expect(verdict.hint).toMatch(/different secret/);
  });

  it('reports a missing signature and names the header it expected', async () => {
    const verdict = await verifyDelivery(delivery({ body }), config, ctx);
    expect(verdict).toMatchObject({ status: 'missing', reason: 'no X-Hub-Signature-256 (or X-Hub-Signature) header' });
  });

  it('says which platform a delivery with another signature header comes from', async () => {
    const verdict = await verifyDelivery(delivery({ body, headers: [['Stripe-Signature', 't=1,v1=00']] }), config, ctx);
    expect(verdict.status).toBe('missing');
    expect(verdict.hint).toContain('stripe');
  });

  it('accepts either secret during a rotation, and says which one matched', async () => {
    const rotating = verifyConfig({ mode: 'enforce', hmac: { preset: 'github', secrets: ['old-secret', 'new-secret'] } });
    for (const secret of ['old-secret', 'new-secret']) {
      const verdict = await verifyDelivery(delivery({ body, headers: [['X-Hub-Signature-256', await octokitSign(secret, body)]] }), rotating, ctx);
      expect(verdict.status).toBe('valid');
      expect(verdict.details?.matchedSecret).toBe(fingerprint(secret));
    }
    const neither = await verifyDelivery(delivery({ body, headers: [['X-Hub-Signature-256', await octokitSign('third', body)]] }), rotating, ctx);
    expect(neither.status).toBe('invalid');
    expect(neither.reason).toContain('any of the 2 configured secrets');
  });

  it('reads a repeated signature header as two signatures, not one merged value', async () => {
    const good = await octokitSign('gh-secret', body);
    const headers: [string, string][] = [['X-Hub-Signature-256', 'sha256=' + '0'.repeat(64)], ['X-Hub-Signature-256', good]];
    expect((await verifyDelivery(delivery({ body, headers }), config, ctx)).status).toBe('valid');
  });
});

describe('meta preset (WhatsApp Cloud API)', () => {
  const config = verifyConfig({ mode: 'enforce', hmac: { preset: 'meta', secret: 'app-secret' } });
  // Meta signs the escaped-unicode payload it sends: é arrives as \u00e9 and / as \/.
  const metaBody = '{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"text":"Caf\\u00e9 \\/ ok"}}]}]}';

  it('accepts X-Hub-Signature-256 over the raw escaped bytes', async () => {
    const signature = `sha256=${createHmac('sha256', 'app-secret').update(metaBody).digest('hex')}`;
    const verdict = await verifyDelivery(delivery({ body: metaBody, headers: [['X-Hub-Signature-256', signature]] }), config, ctx);
    expect(verdict).toMatchObject({ status: 'valid', scheme: 'hmac:meta' });
  });

  it('rejects the same event re-serialized with the characters unescaped', async () => {
    const signature = `sha256=${createHmac('sha256', 'app-secret').update(metaBody).digest('hex')}`;
    const reserialized = JSON.stringify(JSON.parse(metaBody));
    const verdict = await verifyDelivery(delivery({ body: reserialized, headers: [['X-Hub-Signature-256', signature]] }), config, ctx);
    expect(verdict.status).toBe('invalid');
    expect(verdict.details?.diagnosis).toMatchObject({ cause: 'body-reserialized' });
  });
});

describe('shopify preset', () => {
  const config = verifyConfig({ mode: 'enforce', hmac: { preset: 'shopify', secret: 'shpss_client_secret' } });
  const sign = (secret: string, data: string) => createHmac('sha256', secret).update(data).digest('base64');

  it('accepts the base64 HMAC of the raw body (X-Shopify-Hmac-Sha256 and the Events Shopify-Hmac-Sha256)', async () => {
    for (const header of ['X-Shopify-Hmac-Sha256', 'Shopify-Hmac-Sha256']) {
      const verdict = await verifyDelivery(delivery({ body, headers: [[header, sign('shpss_client_secret', body)]] }), config, ctx);
      expect(verdict).toMatchObject({ status: 'valid', scheme: 'hmac:shopify' });
    }
  });

  it('rejects a changed byte and a wrong secret', async () => {
    expect((await verifyDelivery(delivery({ body: tamper(body), headers: [['X-Shopify-Hmac-Sha256', sign('shpss_client_secret', body)]] }), config, ctx)).status).toBe('invalid');
    expect((await verifyDelivery(delivery({ body, headers: [['X-Shopify-Hmac-Sha256', sign('other', body)]] }), config, ctx)).status).toBe('invalid');
  });

  it('keeps old and new secret valid during the hour a rotation takes', async () => {
    const rotating = verifyConfig({ mode: 'enforce', hmac: { preset: 'shopify', secrets: ['old', 'new'] } });
    expect((await verifyDelivery(delivery({ body, headers: [['X-Shopify-Hmac-Sha256', sign('old', body)]] }), rotating, ctx)).status).toBe('valid');
    expect((await verifyDelivery(delivery({ body, headers: [['X-Shopify-Hmac-Sha256', sign('new', body)]] }), rotating, ctx)).status).toBe('valid');
  });
});

describe('custom scheme', () => {
  const config = verifyConfig({
    mode: 'enforce',
    hmac: { preset: 'custom', secret: 'custom-secret', header: 'X-Signature', algorithm: 'sha512', encoding: 'base64', prefix: 'v1=', template: '{timestamp}:{id}:{url}:{body}', timestampHeader: 'X-Timestamp', idHeader: 'X-Id' },
  });
  const url = 'https://hooks.example.com/h/ep1/orders?x=1';
  const ts = String(NOW_MS / 1000 - 10);
  const sign = (secret: string, data: string) => `v1=${createHmac('sha512', secret).update(data).digest('base64')}`;

  it('accepts the documented construction: template filled, SHA-512, base64, prefix', async () => {
    const headers: [string, string][] = [['X-Timestamp', ts], ['X-Id', 'evt_1'], ['X-Signature', sign('custom-secret', `${ts}:evt_1:${url}:${body}`)]];
    const verdict = await verifyDelivery(delivery({ url, body, headers }), config, ctx);
    expect(verdict).toMatchObject({ status: 'valid', scheme: 'hmac:custom' });
    expect(verdict.details?.ageSec).toBe(10);
  });

  it('refuses a stale timestamp as expired, and a changed id as invalid', async () => {
    const old = String(NOW_MS / 1000 - 3600);
    const stale: [string, string][] = [['X-Timestamp', old], ['X-Id', 'evt_1'], ['X-Signature', sign('custom-secret', `${old}:evt_1:${url}:${body}`)]];
    expect((await verifyDelivery(delivery({ url, body, headers: stale }), config, ctx)).status).toBe('expired');
    const changedId: [string, string][] = [['X-Timestamp', ts], ['X-Id', 'evt_2'], ['X-Signature', sign('custom-secret', `${ts}:evt_1:${url}:${body}`)]];
    expect((await verifyDelivery(delivery({ url, body, headers: changedId }), config, ctx)).status).toBe('invalid');
  });

  it('is refused at config time without a header', () => {
    expect(() => verifyConfig({ mode: 'enforce', hmac: { preset: 'custom', secret: 's' } })).toThrow(/signature header/);
  });
});
