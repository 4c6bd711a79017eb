import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { base64url, exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifyContext, verifyDelivery } from '../../../server/verify';
import { delivery, NOW_MS, NOW_SEC, verifyConfig } from './fixtures';

const ctx = { now: () => NOW_MS };
const body = '{"webhook_type":"TRANSACTIONS"}';

function token(claims: Record<string, unknown>, alg: string, key: Parameters<SignJWT['sign']>[0], header: Record<string, unknown> = {}) {
  return new SignJWT({ iss: 'https://issuer.example', aud: 'hookscope', iat: NOW_SEC, exp: NOW_SEC + 300, ...claims }).setProtectedHeader({ alg, ...header }).sign(key);
}

const bearer = (jwt: string) => delivery({ body, headers: [['Authorization', `Bearer ${jwt}`]] });

describe('JWT with typed keys', () => {
  const secret = 'a-shared-secret-of-decent-length!!';
  const hs = verifyConfig({ mode: 'enforce', jwt: { key: { type: 'secret', value: secret }, issuer: 'https://issuer.example', audience: 'hookscope' } });

  it('accepts HS256 with a secret', async () => {
    const verdict = await verifyDelivery(bearer(await token({}, 'HS256', new TextEncoder().encode(secret))), hs, ctx);
    expect(verdict).toMatchObject({ status: 'valid', scheme: 'jwt', details: { token: { verified: true, claims: { iss: 'https://issuer.example' } } } });
  });

  it('accepts RS256 with a PEM, ES256 with a JWK, EdDSA with a PEM', async () => {
    const rsa = await generateKeyPair('RS256', { extractable: true });
    const pemConfig = verifyConfig({ mode: 'enforce', jwt: { key: { type: 'pem', value: await exportSPKI(rsa.publicKey) } } });
    expect((await verifyDelivery(bearer(await token({}, 'RS256', rsa.privateKey)), pemConfig, ctx)).status).toBe('valid');

    const ec = await generateKeyPair('ES256', { extractable: true });
    const jwkConfig = verifyConfig({ mode: 'enforce', jwt: { key: { type: 'jwk', value: await exportJWK(ec.publicKey) } } });
    expect((await verifyDelivery(bearer(await token({}, 'ES256', ec.privateKey)), jwkConfig, ctx)).status).toBe('valid');

    const ed = await generateKeyPair('EdDSA', { extractable: true });
    const edConfig = verifyConfig({ mode: 'enforce', jwt: { key: { type: 'pem', value: await exportSPKI(ed.publicKey) } } });
    expect((await verifyDelivery(bearer(await token({}, 'EdDSA', ed.privateKey)), edConfig, ctx)).status).toBe('valid');
  });

  it('calls an expired token expired, and says since when', async () => {
    const verdict = await verifyDelivery(bearer(await token({ exp: NOW_SEC - 600 }, 'HS256', new TextEncoder().encode(secret))), hs, ctx);
    expect(verdict.status).toBe('expired');
    expect(verdict.reason).toContain('10 min ago');
  });

  it('refuses a wrong issuer and a wrong audience, naming both values', async () => {
    const key = new TextEncoder().encode(secret);
    const iss = await verifyDelivery(bearer(await token({ iss: 'https://evil.example' }, 'HS256', key)), hs, ctx);
    expect(iss).toMatchObject({ status: 'invalid', reason: 'the token\'s issuer is "https://evil.example", expected "https://issuer.example"' });
    const aud = await verifyDelivery(bearer(await token({ aud: 'someone-else' }, 'HS256', key)), hs, ctx);
    expect(aud.status).toBe('invalid');
    expect(aud.reason).toContain('audience');
  });

  it('never accepts alg none, and shows the unverified header and claims', async () => {
    const unsigned = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url.encode(JSON.stringify({ iss: 'https://issuer.example', aud: 'hookscope', exp: NOW_SEC + 60 }))}.`;
    const verdict = await verifyDelivery(bearer(unsigned), verifyConfig({ mode: 'observe', jwt: { key: { type: 'secret', value: secret } } }), ctx);
    expect(verdict).toMatchObject({ status: 'invalid', reason: expect.stringContaining('alg "none"') });
    expect(verdict.details?.token).toMatchObject({ header: { alg: 'none' }, claims: { iss: 'https://issuer.example' }, verified: false });
  });

  it('refuses an HS256 token "signed" with the RSA public key (key confusion)', async () => {
    const rsa = await generateKeyPair('RS256', { extractable: true });
    const pem = await exportSPKI(rsa.publicKey);
    const forged = await token({}, 'HS256', new TextEncoder().encode(pem));
    const verdict = await verifyDelivery(bearer(forged), verifyConfig({ mode: 'enforce', jwt: { key: { type: 'pem', value: pem } } }), ctx);
    expect(verdict).toMatchObject({ status: 'invalid', reason: expect.stringContaining('key confusion') });
    expect(() => verifyConfig({ mode: 'enforce', jwt: { key: { type: 'pem', value: pem }, algorithms: ['HS256'] } })).toThrow(/key confusion/);
  });

  it('requires exp unless switched off', async () => {
    const key = new TextEncoder().encode(secret);
    const noExp = await new SignJWT({ iss: 'x' }).setProtectedHeader({ alg: 'HS256' }).sign(key);
    const required = await verifyDelivery(bearer(noExp), verifyConfig({ mode: 'enforce', jwt: { key: { type: 'secret', value: secret } } }), ctx);
    expect(required).toMatchObject({ status: 'invalid', reason: 'the token has no exp claim, which is required' });
    const optional = await verifyDelivery(bearer(noExp), verifyConfig({ mode: 'enforce', jwt: { key: { type: 'secret', value: secret }, requireExp: false } }), ctx);
    expect(optional.status).toBe('valid');
  });

  it('binds the token to the body with a SHA-256 claim (Plaid request_body_sha256) from a named header', async () => {
    const ec = await generateKeyPair('ES256', { extractable: true });
    const config = verifyConfig({ mode: 'enforce', jwt: { key: { type: 'pem', value: await exportSPKI(ec.publicKey) }, header: 'Plaid-Verification', algorithms: ['ES256'], maxAgeSec: 300, bodyHashClaim: 'request_body_sha256' } });
    const jwt = await token({ request_body_sha256: createHash('sha256').update(body).digest('hex') }, 'ES256', ec.privateKey);
    expect((await verifyDelivery(delivery({ body, headers: [['Plaid-Verification', jwt]] }), config, ctx)).status).toBe('valid');
    const other = await verifyDelivery(delivery({ body: '{"webhook_type":"ITEM"}', headers: [['Plaid-Verification', jwt]] }), config, ctx);
    expect(other).toMatchObject({ status: 'invalid', reason: expect.stringContaining('request_body_sha256') });
  });

  it('names a secret the sender base64-decoded', async () => {
    const b64 = Buffer.from('raw key bytes for hs256 signing!').toString('base64');
    const verdict = await verifyDelivery(bearer(await token({}, 'HS256', Buffer.from(b64, 'base64'))), verifyConfig({ mode: 'enforce', jwt: { key: { type: 'secret', value: b64 } } }), ctx);
    expect(verdict.status).toBe('invalid');
    expect(verdict.hint).toContain('base64-decoded');
  });

  it('reports a missing or non-Bearer Authorization header as missing', async () => {
    expect((await verifyDelivery(delivery({ body }), hs, ctx)).status).toBe('missing');
    expect((await verifyDelivery(delivery({ body, headers: [['Authorization', 'Basic dTpw']] }), hs, ctx)).reason).toContain('not a Bearer token');
  });
});

describe('reused tokens', () => {
  it('skips the signature for a token already verified, but still checks exp, the config and the body hash on every delivery', async () => {
    const rsa = await generateKeyPair('RS256', { extractable: true });
    const pem = await exportSPKI(rsa.publicKey);
    const config = verifyConfig({ mode: 'enforce', jwt: { key: { type: 'pem', value: pem }, bodyHashClaim: 'body_sha256' } });
    let now = NOW_MS;
    const context = createVerifyContext({ now: () => now });
    const jwt = await token({ body_sha256: createHash('sha256').update(body).digest('hex') }, 'RS256', rsa.privateKey);
    const first = await verifyDelivery(bearer(jwt), config, context);
    expect(first.status).toBe('valid');
    const again = await verifyDelivery(bearer(jwt), config, context);
    expect(again).toMatchObject({ status: 'valid', reason: expect.stringContaining('verified earlier') });
    const otherBody = await verifyDelivery(delivery({ body: '{"x":1}', headers: [['Authorization', `Bearer ${jwt}`]] }), config, context);
    expect(otherBody.status).toBe('invalid');
    const stricter = verifyConfig({ mode: 'enforce', jwt: { key: { type: 'pem', value: pem }, bodyHashClaim: 'body_sha256', audience: 'someone-else' } });
    expect((await verifyDelivery(bearer(jwt), stricter, context)).status).toBe('invalid');
    now += 301_000 + 30_000; // past exp + tolerance
    expect((await verifyDelivery(bearer(jwt), config, context)).status).toBe('expired');
  });
});

describe('JWT with a JWKS URL', () => {
  let server: Server;
  let jwks: { keys: JWK[] } = { keys: [] };
  let fetches: string[] = [];
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      fetches.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(req.url === '/attacker.json' ? { keys: [] } : jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fetches once, caches, and picks up a rotated key on an unknown kid (refetch at most once per cooldown)', async () => {
    const a = await generateKeyPair('RS256', { extractable: true });
    const b = await generateKeyPair('RS256', { extractable: true });
    jwks = { keys: [{ ...(await exportJWK(a.publicKey)), kid: 'a', alg: 'RS256', use: 'sig' }] };
    fetches = [];
    let now = NOW_MS;
    const context = createVerifyContext({ now: () => now });
    const config = verifyConfig({ mode: 'enforce', jwt: { key: { type: 'jwksUrl', value: `${base}/jwks.json` } } });
    expect((await verifyDelivery(bearer(await token({}, 'RS256', a.privateKey, { kid: 'a' })), config, context)).status).toBe('valid');
    expect((await verifyDelivery(bearer(await token({}, 'RS256', a.privateKey, { kid: 'a' })), config, context)).status).toBe('valid');
    expect(fetches).toEqual(['/jwks.json']);

    jwks = { keys: [{ ...(await exportJWK(b.publicKey)), kid: 'b', alg: 'RS256', use: 'sig' }] };
    const tokenB = await token({}, 'RS256', b.privateKey, { kid: 'b' });
    const tooSoon = await verifyDelivery(bearer(tokenB), config, context);
    expect(tooSoon).toMatchObject({ status: 'invalid', reason: expect.stringContaining('kid "b"') });
    expect(fetches).toHaveLength(1); // within the cooldown an unknown kid does not refetch

    now += 31_000;
    expect((await verifyDelivery(bearer(tokenB), config, context)).status).toBe('valid');
    expect(fetches).toHaveLength(2);
  });

  it("never follows the token's own jku header", async () => {
    const attacker = await generateKeyPair('RS256', { extractable: true });
    const legit = await generateKeyPair('RS256', { extractable: true });
    jwks = { keys: [{ ...(await exportJWK(legit.publicKey)), kid: 'legit', alg: 'RS256' }] };
    fetches = [];
    const context = createVerifyContext({ now: () => NOW_MS });
    const config = verifyConfig({ mode: 'enforce', jwt: { key: { type: 'jwksUrl', value: `${base}/jwks.json` } } });
    const forged = await token({}, 'RS256', attacker.privateKey, { kid: 'legit', jku: `${base}/attacker.json` });
    const verdict = await verifyDelivery(bearer(forged), config, context);
    expect(verdict.status).toBe('invalid');
    expect(verdict.details?.ignoredHeaders).toEqual(['jku']);
    expect(fetches).not.toContain('/attacker.json');
  });

  it('says so when the JWKS cannot be fetched', async () => {
    const context = createVerifyContext({ now: () => NOW_MS });
    const config = verifyConfig({ mode: 'enforce', jwt: { key: { type: 'jwksUrl', value: 'http://127.0.0.1:1/jwks.json' } } });
    const rsa = await generateKeyPair('RS256');
    const verdict = await verifyDelivery(bearer(await token({}, 'RS256', rsa.privateKey, { kid: 'x' })), config, context);
    expect(verdict).toMatchObject({ status: 'invalid', reason: expect.stringContaining('could not fetch the JWKS') });
  });
});
