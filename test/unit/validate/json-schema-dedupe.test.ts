import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { findEvent, fixedSampleContext } from '../../../shared/catalogs';
import { schemaConfigSchema } from '../../../shared/schema-config';
import { deliveryIdOf } from '../../../server/ingest/dedupe';
import { validateDelivery } from '../../../server/validate';
import { delivery } from '../verify/fixtures';

const config = (input: unknown) => schemaConfigSchema.parse(input);
const orderSchema = {
  type: 'object',
  required: ['order_id', 'items'],
  properties: {
    order_id: { type: 'string', pattern: '^ord_' },
    items: { type: 'array', items: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 } } } },
    status: { enum: ['paid', 'refunded'] },
  },
};

describe('custom JSON Schema per endpoint', () => {
  const jsonOnly = config({ mode: 'enforce', jsonSchema: orderSchema });

  it('accepts a conforming body, with no catalog involved', () => {
    const verdict = validateDelivery(delivery({ body: '{"order_id":"ord_1","items":[{"sku":"A","qty":2}],"status":"paid"}' }), jsonOnly);
    expect(verdict).toEqual({ status: 'valid', issues: [] });
  });

  it('lists every problem with its path: missing property, wrong type, enum', () => {
    const verdict = validateDelivery(delivery({ body: '{"order_id":"x1","items":[{"qty":0},{"sku":3}],"status":"lost"}' }), jsonOnly);
    expect(verdict.status).toBe('invalid');
    const byPath = Object.fromEntries(verdict.issues.map((i) => [i.path, i.message]));
    expect(byPath['order_id']).toMatch(/^`order_id` is "x1", which does not match the pattern/);
    expect(byPath['items[0].sku']).toBe('required field `items[0].sku` is missing');
    expect(byPath['items[0].qty']).toBe('`items[0].qty` should be at least 1, but it is 0');
    expect(byPath['items[1].sku']).toBe('`items[1].sku` should be a string, but it is 3');
    expect(byPath['status']).toBe('`status` should be one of "paid", "refunded", but it is "lost"');
    // The validator's own words stay one click away.
    const details = Object.fromEntries(verdict.issues.map((i) => [i.path, i.detail]));
    expect(details['items[0].sku']).toMatch(/required property/);
    expect(details['status']).toMatch(/allowed values: "paid", "refunded"/);
  });

  it('supports draft 2020-12 schemas', () => {
    const schema = { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }] };
    const verdict = validateDelivery(delivery({ body: '["a","b"]' }), config({ mode: 'enforce', jsonSchema: schema }));
    expect(verdict).toMatchObject({ status: 'invalid', issues: [{ path: '[1]' }] });
  });

  it('says so when the schema itself does not compile', () => {
    const verdict = validateDelivery(delivery({ body: '{}' }), config({ mode: 'enforce', jsonSchema: { type: 'no-such-type' } }));
    expect(verdict).toMatchObject({ status: 'invalid', issues: [{ path: '(schema)', message: expect.stringContaining('does not compile') }] });
  });

  it('combines with a catalog: both must pass', () => {
    const sample = findEvent('messaging.hsm-status')?.event.sample(fixedSampleContext());
    const both = config({ mode: 'enforce', catalog: 'messaging', jsonSchema: { type: 'object', required: ['tenant'] } });
    const verdict = validateDelivery(delivery({ body: JSON.stringify(sample) }), both);
    expect(verdict).toMatchObject({ status: 'invalid', eventType: 'messaging.hsm-status', issues: [{ path: 'tenant' }] });
  });

  it('validates a gzip-compressed body after decoding it', () => {
    const body = gzipSync('{"order_id":"ord_9","items":[]}');
    const verdict = validateDelivery(delivery({ body, headers: [['Content-Encoding', 'gzip']] }), jsonOnly);
    expect(verdict.status).toBe('valid');
  });
});

describe('delivery ids for duplicate detection', () => {
  it('takes the header id first', () => {
    expect(deliveryIdOf(delivery({ headers: [['X-GitHub-Delivery', '72d3162e-cc78-11e3-81ab-4c9367dc0958']], body: '{"object":"event","id":"evt_1"}' }))).toBe('x-github-delivery:72d3162e-cc78-11e3-81ab-4c9367dc0958');
    expect(deliveryIdOf(delivery({ headers: [['webhook-id', 'msg_1']] }))).toBe('webhook-id:msg_1');
  });

  const sample = (name: string) => findEvent(name)?.event.sample(fixedSampleContext()) as Record<string, unknown>;
  const cases: [string, string, string][] = [
    ['Stripe event id', JSON.stringify({ id: 'evt_1NG8Du2eZvKYlo2C', object: 'event', type: 'charge.succeeded' }), 'stripe:evt_1NG8Du2eZvKYlo2C'],
    ['AJO requestId', JSON.stringify(sample('journey-feedback.email.sent')), `ajo:${String(sample('journey-feedback.email.sent').requestId)}`],
    ['Treble event_id', JSON.stringify(sample('messaging.hsm-status')), `treble:${String(sample('messaging.hsm-status').event_id)}`],
    ['WhatsApp wamid + status', JSON.stringify(sample('whatsapp-cloud.status.read')), expect.stringMatching(/^wamid:wamid\..+:read$/) as unknown as string],
    ['SendGrid sg_event_id', JSON.stringify([{ email: 'a@example.com', event: 'delivered', sg_event_id: 'sg_1' }]), 'sendgrid:sg_1'],
  ];
  it.each(cases)('finds the %s in the body', (_what, body, expected) => {
    expect(deliveryIdOf(delivery({ body, headers: [['Content-Type', 'application/json']] }))).toEqual(expected);
  });

  it('finds MessageSid + MessageStatus in a Twilio form body, and nothing in an anonymous body', () => {
    const form = delivery({ body: 'MessageSid=SM1&MessageStatus=sent', headers: [['Content-Type', 'application/x-www-form-urlencoded']] });
    expect(deliveryIdOf(form)).toBe('twilio:SM1:sent');
    expect(deliveryIdOf(delivery({ body: '{"hello":"world"}' }))).toBeNull();
    expect(deliveryIdOf(delivery({ body: Buffer.from([0xff, 0x00]) }))).toBeNull();
  });
});
