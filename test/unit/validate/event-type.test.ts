import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SKIPPED_SCHEMA, type SchemaVerdict } from '../../../shared/verdicts';
import { eventTypeOf } from '../../../server/validate/event-type';
import { validateDelivery } from '../../../server/validate';
import { delivery } from '../verify/fixtures';

const json = (value: unknown, headers: [string, string][] = []) =>
  delivery({ body: JSON.stringify(value), headers: [['Content-Type', 'application/json'], ...headers] });
const typeOf = (d: ReturnType<typeof delivery>, schema: SchemaVerdict = SKIPPED_SCHEMA) => eventTypeOf(d, schema);

describe('eventTypeOf', () => {
  it('names GitHub events by header, completed by the body action', () => {
    expect(typeOf(json({ ref: 'refs/heads/main' }, [['X-GitHub-Event', 'push']]))).toBe('push');
    expect(typeOf(json({ action: 'opened', number: 1 }, [['X-GitHub-Event', 'pull_request']]))).toBe('pull_request.opened');
  });

  it('names Shopify, GitLab and Bitbucket events by their headers', () => {
    expect(typeOf(json({ id: 1 }, [['X-Shopify-Topic', 'orders/create']]))).toBe('orders/create');
    expect(typeOf(json({ object_kind: 'push' }, [['X-Gitlab-Event', 'Push Hook']]))).toBe('Push Hook');
    expect(typeOf(json({ push: {} }, [['X-Event-Key', 'repo:push']]))).toBe('repo:push');
  });

  it('reads Stripe / Standard Webhooks `type`, Slack `event.type` and the usual top-level names', () => {
    expect(typeOf(json({ id: 'evt_1', object: 'event', type: 'invoice.paid' }))).toBe('invoice.paid');
    expect(typeOf(json({ type: 'user.created', timestamp: '2024-01-01T00:00:00Z', data: {} }))).toBe('user.created');
    expect(typeOf(json({ type: 'event_callback', event: { type: 'app_mention' } }))).toBe('app_mention');
    expect(typeOf(json({ type: 'url_verification', challenge: 'x' }))).toBe('url_verification');
    expect(typeOf(json({ event: 'charge.completed' }))).toBe('charge.completed');
    expect(typeOf(json({ event_type: 'order.shipped' }))).toBe('order.shipped');
    expect(typeOf(json({ eventType: 'thing.happened' }))).toBe('thing.happened');
  });

  it('uses the built-in catalogs even when the schema check is off', () => {
    const read = json({ cellphone: '+5491100000000', session_id: 1, conversation_id: 2, read_at: '2024-05-06 12:00:00' });
    expect(typeOf(read)).toBe('messaging.message-read');
    const twilio = delivery({ body: 'MessageSid=SM1&MessageStatus=delivered&AccountSid=AC1', headers: [['Content-Type', 'application/x-www-form-urlencoded']] });
    expect(typeOf(twilio)).toBe('twilio-messaging.status.delivered');
  });

  it('prefers the event the schema check found', () => {
    const d = json({ type: 'something-else' });
    expect(typeOf(d, { status: 'valid', eventType: 'messaging.opt-out', catalog: 'messaging', issues: [] })).toBe('messaging.opt-out');
    const checked = validateDelivery(json({ cellphone: '+1', session_id: 1, reason: 'OPTOUT' }), { mode: 'observe', catalog: 'auto' });
    expect(typeOf(json({ cellphone: '+1', session_id: 1, reason: 'OPTOUT' }), checked)).toBe('messaging.opt-out');
  });

  it('is null when nothing names the event, and never inflates a compressed body on its own', () => {
    expect(typeOf(json({ hello: 'world' }))).toBeNull();
    expect(typeOf(delivery({ body: 'plain text' }))).toBeNull();
    expect(typeOf(delivery({ body: Buffer.from([0xff, 0x00, 0x12]) }))).toBeNull();
    expect(typeOf(delivery({ body: '' }))).toBeNull();
    const gz = delivery({ body: gzipSync(JSON.stringify({ type: 'x.y' })), headers: [['Content-Encoding', 'gzip'], ['Content-Type', 'application/json']] });
    expect(typeOf(gz)).toBeNull();
    expect(typeOf(json({ type: 42 }))).toBeNull();
  });

  it('clips a payload-chosen name to 200 characters', () => {
    expect(typeOf(json({ type: 'x'.repeat(5000) }))).toHaveLength(200);
    expect(typeOf(json({}, [['X-GitHub-Event', 'y'.repeat(500)]]))).toHaveLength(200);
  });
});
