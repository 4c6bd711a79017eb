import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sign as octokitSign } from '@octokit/webhooks-methods';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureViewSchema } from '../../shared/capture';
import { endpointViewSchema } from '../../shared/endpoint';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.dispose());

async function createEndpoint(target: TestServer, json: unknown) {
  const res = await target.api('/api/endpoints', { method: 'POST', json });
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(201);
  return endpointViewSchema.parse(await res.json());
}

async function capture(target: TestServer, id: string) {
  const res = await target.api(`/api/requests/${id}`);
  expect(res.status).toBe(200);
  return captureViewSchema.parse(await res.json());
}

const body = JSON.stringify({ action: 'opened', pull_request: { number: 7 } });

describe('observe vs enforce', () => {
  it('enforce: a forged delivery gets 401 JSON with the reason, and is stored with its verdict and the doctor\'s hint', async () => {
    const endpoint = await createEndpoint(server, { verify: { mode: 'enforce', hmac: { preset: 'github', secret: 'enforced-secret' } } });
    const res = await fetch(`${server.url}/h/${endpoint.id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': await octokitSign('wrong', body) }, body });
    expect(res.status).toBe(401);
    const reply = (await res.json()) as { error: string; id: string; verdict: { status: string; reason: string } };
    expect(reply.verdict).toMatchObject({ status: 'invalid', reason: expect.stringContaining('does not match') });
    const stored = await capture(server, reply.id);
    expect(stored.reply).toMatchObject({ status: 401, rejected: expect.stringContaining('signature invalid') });
    expect(stored.verdicts.signature).toMatchObject({ status: 'invalid', scheme: 'hmac:github', hint: expect.stringContaining('different secret') });
    expect(JSON.stringify(stored)).not.toContain('enforced-secret');
  });

  it('enforce: a genuine delivery (signed by @octokit/webhooks-methods) is accepted', async () => {
    const endpoint = await createEndpoint(server, { verify: { mode: 'enforce', hmac: { preset: 'github', secret: 'enforced-secret' } } });
    const res = await fetch(`${server.url}/h/${endpoint.id}`, { method: 'POST', headers: { 'x-hub-signature-256': await octokitSign('enforced-secret', body) }, body });
    expect(res.status).toBe(200);
    const stored = await capture(server, ((await res.json()) as { id: string }).id);
    expect(stored.verdicts.signature.status).toBe('valid');
  });

  it('observe: the same forged delivery is accepted and recorded as invalid', async () => {
    const endpoint = await createEndpoint(server, { verify: { mode: 'observe', hmac: { preset: 'github', secret: 'observed-secret' } } });
    const res = await fetch(`${server.url}/h/${endpoint.id}`, { method: 'POST', headers: { 'x-hub-signature-256': await octokitSign('wrong', body) }, body });
    expect(res.status).toBe(200);
    const stored = await capture(server, ((await res.json()) as { id: string }).id);
    expect(stored.verdicts.signature.status).toBe('invalid');
  });

  it('schema enforce: a payload off its event schema gets 422 with the issues, and is stored', async () => {
    const endpoint = await createEndpoint(server, { schema: { mode: 'enforce', catalog: 'twilio-messaging' } });
    const res = await fetch(`${server.url}/h/${endpoint.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'AccountSid=AC00000000000000000000000000000000&MessageSid=SM00000000000000000000000000000000&MessageStatus=failed&From=%2B15017122661&To=%2B15558675310',
    });
    expect(res.status).toBe(422);
    const reply = (await res.json()) as { id: string; issues: { path: string }[] };
    expect(reply.issues).toEqual([{ path: 'ErrorCode', message: 'a failed message carries an ErrorCode' }]);
    expect((await capture(server, reply.id)).verdicts.schema).toMatchObject({ status: 'invalid', eventType: 'twilio-messaging.status.failed' });
  });

  it('keeps secrets out of the endpoint API while showing the SendGrid public key', async () => {
    const endpoint = await createEndpoint(server, { verify: { mode: 'observe', hmac: { preset: 'github', secrets: ['first-secret', 'second-secret'] }, headerToken: { header: 'X-API-Key', value: 'api-key-value' } } });
    expect(JSON.stringify(endpoint)).not.toMatch(/first-secret|second-secret|api-key-value/);
    const publicKey = 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==';
    const sendgrid = await createEndpoint(server, { verify: { mode: 'observe', hmac: { preset: 'sendgrid', publicKey } } });
    expect(sendgrid.verify.hmac?.publicKey).toBe(publicKey);
  });

  it('refuses a JWT config that would allow key confusion with 400', async () => {
    const { publicKey } = await generateKeyPair('RS256', { extractable: true });
    const res = await server.api('/api/endpoints', { method: 'POST', json: { verify: { mode: 'enforce', jwt: { key: { type: 'jwk', value: await exportJWK(publicKey) }, algorithms: ['HS256'] } } } });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain('key confusion');
  });
});

describe('repeated signature headers', () => {
  it('reads two X-Hub-Signature-256 lines as two signatures (Node would join them into one mangled value)', async () => {
    const endpoint = await createEndpoint(server, { verify: { mode: 'enforce', hmac: { preset: 'github', secret: 'repeat-secret' } } });
    const good = await octokitSign('repeat-secret', body);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/h/${endpoint.id}`, {
        method: 'POST',
        headers: { 'X-Hub-Signature-256': [`sha256=${'0'.repeat(64)}`, good] }, // two header lines on the wire
      }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(status).toBe(200);
  });
});

describe('duplicates', () => {
  it('flags a redelivery with the same X-GitHub-Delivery as a duplicate of the first capture', async () => {
    const endpoint = await createEndpoint(server, {});
    const send = async () => {
      const res = await fetch(`${server.url}/h/${endpoint.id}`, { method: 'POST', headers: { 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' }, body });
      return ((await res.json()) as { id: string }).id;
    };
    const first = await send();
    const second = await send();
    expect((await capture(server, first)).duplicateOf).toBeNull();
    expect(await capture(server, second)).toMatchObject({ deliveryId: 'x-github-delivery:72d3162e-cc78-11e3-81ab-4c9367dc0958', duplicateOf: first });
  });
});

describe('Twilio behind a proxy', () => {
  const params = { MessageSid: 'SM00000000000000000000000000000001', MessageStatus: 'delivered' };
  const form = new URLSearchParams(params).toString();

  it('with trust-proxy, rebuilds the public https URL from X-Forwarded-* and accepts the signature', async () => {
    const proxied = await startTestServer({ trustProxy: true });
    try {
      const endpoint = await createEndpoint(proxied, { verify: { mode: 'enforce', hmac: { preset: 'twilio', secret: 'auth-token' } } });
      const publicUrl = `https://hooks.example.com/h/${endpoint.id}/status`;
      const signature = twilio.getExpectedTwilioSignature('auth-token', publicUrl, params);
      const res = await fetch(`${proxied.url}/h/${endpoint.id}/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'hooks.example.com' },
        body: form,
      });
      expect(res.status).toBe(200);
    } finally {
      await proxied.dispose();
    }
  });

  it('without trust-proxy, refuses it and the doctor names the proxy', async () => {
    const endpoint = await createEndpoint(server, { verify: { mode: 'enforce', hmac: { preset: 'twilio', secret: 'auth-token' } } });
    const seen = new URL(`${server.url}/h/${endpoint.id}`);
    const signature = twilio.getExpectedTwilioSignature('auth-token', `https://${seen.host}/h/${endpoint.id}`, params);
    const res = await fetch(`${server.url}/h/${endpoint.id}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: form });
    expect(res.status).toBe(401);
    const stored = await capture(server, ((await res.json()) as { id: string }).id);
    expect(stored.verdicts.signature.details?.diagnosis).toMatchObject({ cause: 'twilio-url' });
  });
});

describe('subscription handshake', () => {
  it('echoes hub.challenge for the right verify token, refuses a wrong one with 403, and records both', async () => {
    const endpoint = await createEndpoint(server, { verify: { mode: 'enforce', hmac: { preset: 'meta', secret: 'app-secret' }, subscriptionHandshake: { verifyToken: 'meta-verify' } } });
    const ok = await fetch(`${server.url}/h/${endpoint.id}?hub.mode=subscribe&hub.verify_token=meta-verify&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const bad = await fetch(`${server.url}/h/${endpoint.id}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1`);
    expect(bad.status).toBe(403);
    const stored = await capture(server, bad.headers.get('x-hookscope-capture') as string);
    expect(stored.verdicts.signature).toMatchObject({ status: 'invalid', scheme: 'subscription-handshake' });
  });
});

describe('JWT RS256 with a JWKS served on 127.0.0.1', () => {
  let jwksServer: Server;
  let jwksUrl = '';
  let keys: Awaited<ReturnType<typeof generateKeyPair>>;
  beforeAll(async () => {
    keys = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'RS256' };
    jwksServer = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => jwksServer.close(() => resolve())));

  it('accepts a token from the JWKS, refuses an expired one with 401 "expired"', async () => {
    const endpoint = await createEndpoint(server, { verify: { mode: 'enforce', jwt: { key: { type: 'jwksUrl', value: jwksUrl }, audience: 'hookscope' } } });
    const nowSec = Math.floor(Date.now() / 1000);
    const mint = (exp: number) => new SignJWT({ aud: 'hookscope' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuedAt(nowSec).setExpirationTime(exp).sign(keys.privateKey);
    const ok = await fetch(`${server.url}/h/${endpoint.id}`, { method: 'POST', headers: { authorization: `Bearer ${await mint(nowSec + 60)}` }, body });
    expect(ok.status).toBe(200);
    const expired = await fetch(`${server.url}/h/${endpoint.id}`, { method: 'POST', headers: { authorization: `Bearer ${await mint(nowSec - 3600)}` }, body });
    expect(expired.status).toBe(401);
    const stored = await capture(server, ((await expired.json()) as { id: string }).id);
    expect(stored.verdicts.signature).toMatchObject({ status: 'expired', details: { token: { verified: false, header: { kid: 'k1' } } } });
  });
});
