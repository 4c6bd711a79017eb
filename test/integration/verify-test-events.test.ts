import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureViewSchema } from '../../shared/capture';
import { catalogListSchema, testEventResultSchema } from '../../shared/catalogs';
import { endpointViewSchema } from '../../shared/endpoint';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.dispose());

async function endpointWith(json: unknown): Promise<string> {
  const res = await server.api('/api/endpoints', { method: 'POST', json });
  expect(res.status).toBe(201);
  return endpointViewSchema.parse(await res.json()).id;
}

async function sendTestEvent(endpointId: string, event: string) {
  const res = await server.api(`/api/endpoints/${endpointId}/test-events`, { method: 'POST', json: { event } });
  expect(res.status, await res.clone().text()).toBe(201);
  const result = testEventResultSchema.parse(await res.json());
  const capture = captureViewSchema.parse(await (await server.api(`/api/requests/${result.id}`)).json());
  return { result, capture };
}

describe('POST /api/endpoints/:id/test-events', () => {
  it('lists the catalogs and their events', async () => {
    const list = catalogListSchema.parse(await (await server.api('/api/catalogs')).json());
    expect(list.map((c) => c.name)).toEqual(['journey-feedback', 'whatsapp-cloud', 'twilio-messaging', 'messaging']);
    expect(list.find((c) => c.name === 'messaging')?.events.map((e) => e.name)).toContain('messaging.message-read');
  });

  it('shows each event\'s sample and its JSON Schema, and the sample satisfies the schema', async () => {
    const list = catalogListSchema.parse(await (await server.api('/api/catalogs')).json());
    const events = list.flatMap((c) => c.events);
    expect(events.length).toBeGreaterThan(30);
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    for (const event of events) {
      expect(event.jsonSchema.$schema, event.name).toBe('https://json-schema.org/draft/2020-12/schema');
      const validate = ajv.compile(event.jsonSchema);
      expect(validate(event.sample), `${event.name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    const read = events.find((e) => e.name === 'messaging.message-read');
    expect(read?.jsonSchema).toMatchObject({ type: 'object', properties: { session_id: expect.any(Object) } });
  });

  it('sends an edited payload as given, with no client-library headers', async () => {
    const id = await endpointWith({ schema: { mode: 'observe', catalog: 'messaging' } });
    const list = catalogListSchema.parse(await (await server.api('/api/catalogs')).json());
    const sample = list.flatMap((c) => c.events).find((e) => e.name === 'messaging.message-read')?.sample as Record<string, unknown>;
    const payload = { ...sample, session_id: 'edited-in-the-inspector' };
    const res = await server.api(`/api/endpoints/${id}/test-events`, { method: 'POST', json: { event: 'messaging.message-read', payload } });
    expect(res.status).toBe(201);
    const capture = captureViewSchema.parse(await (await server.api(`/api/requests/${testEventResultSchema.parse(await res.json()).id}`)).json());
    expect(JSON.parse(capture.body.data)).toEqual(payload);
    expect(capture.headers.map(([name]) => name)).toEqual(['Host', 'Content-Type', 'User-Agent', 'X-Request-Id', 'Content-Length', 'Connection']);
    expect(capture.headers.map(([name]) => name.toLowerCase())).not.toContain('sec-fetch-mode');
  });

  const presets: [string, Record<string, unknown>, string][] = [
    ['github', { preset: 'github', secret: 'gh-secret' }, 'messaging.message-read'],
    ['stripe', { preset: 'stripe', secret: 'whsec_stripe' }, 'journey-feedback.email.bounce'],
    ['standard-webhooks', { preset: 'standard-webhooks', secret: 'whsec_' + Buffer.from('a 24 byte long test key!').toString('base64') }, 'whatsapp-cloud.status.failed'],
    ['twilio', { preset: 'twilio', secret: 'auth-token' }, 'twilio-messaging.status.undelivered'],
    ['slack', { preset: 'slack', secret: 'slack-secret' }, 'messaging.hsm-status'],
    ['shopify', { preset: 'shopify', secret: 'shopify-secret' }, 'messaging.conversation-closed'],
    ['meta', { preset: 'meta', secret: 'app-secret' }, 'whatsapp-cloud.message-template-status-update'],
    ['custom', { preset: 'custom', secret: 'c', header: 'X-Sig', template: '{timestamp}.{body}', timestampHeader: 'X-Ts' }, 'journey-feedback.sms.delivered'],
  ];

  it.each(presets)('signs a sample with the %s scheme and sends it through real ingest: signature and schema both valid', async (_name, hmac, event) => {
    const id = await endpointWith({ verify: { mode: 'enforce', hmac }, schema: { mode: 'enforce', catalog: 'auto' } });
    const { result, capture } = await sendTestEvent(id, event);
    expect(result).toMatchObject({ event, status: 200, signedWith: [`hmac:${String(hmac.preset)}`], notes: [] });
    expect(capture.endpointId).toBe(id);
    expect(capture.verdicts.signature).toMatchObject({ status: 'valid', scheme: `hmac:${String(hmac.preset)}` });
    expect(capture.verdicts.schema).toMatchObject({ status: 'valid', eventType: event });
  });

  it('authenticates with an HS256 JWT (issuer, audience, body hash) and header tokens together', async () => {
    const id = await endpointWith({
      verify: { mode: 'enforce', jwt: { key: { type: 'secret', value: 'jwt-shared-secret' }, issuer: 'ajo', audience: 'hookscope', bodyHashClaim: 'body_sha256' }, headerToken: [{ header: 'X-Org', value: 'org-1' }] },
    });
    const { result, capture } = await sendTestEvent(id, 'journey-feedback.email.sent');
    expect(result.signedWith).toEqual(['jwt', 'header-token']);
    expect(capture.verdicts.signature).toMatchObject({ status: 'valid', scheme: 'jwt+header-token' });
  });

  it('sends unsigned and says why when only the platform can sign (SendGrid), so enforce answers 401', async () => {
    const publicKey = 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==';
    const id = await endpointWith({ verify: { mode: 'enforce', hmac: { preset: 'sendgrid', publicKey } } });
    const { result, capture } = await sendTestEvent(id, 'messaging.message-delivered');
    expect(result).toMatchObject({ status: 401, signedWith: [], notes: [expect.stringContaining('private key')] });
    expect(capture.verdicts.signature.status).toBe('missing');
  });

  it('gives each test event fresh ids, so a second one is not a duplicate', async () => {
    const id = await endpointWith({});
    const first = await sendTestEvent(id, 'whatsapp-cloud.status.read');
    const second = await sendTestEvent(id, 'whatsapp-cloud.status.read');
    expect(second.capture.duplicateOf).toBeNull();
    expect(second.capture.deliveryId).not.toBe(first.capture.deliveryId);
  });

  it('answers 400 for an unknown event and 404 for an unknown endpoint', async () => {
    const bad = await server.api('/api/endpoints/default/test-events', { method: 'POST', json: { event: 'nope.nothing' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { details: { message: string }[] }).details.map((d) => d.message)).toContain('messaging.opt-out');
    const missing = await server.api('/api/endpoints/no-such-endpoint/test-events', { method: 'POST', json: { event: 'messaging.opt-out' } });
    expect(missing.status).toBe(404);
  });
});
