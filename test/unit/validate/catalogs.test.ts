import { describe, expect, it } from 'vitest';
import { CATALOGS, findEvent, fixedSampleContext } from '../../../shared/catalogs';
import { schemaConfigSchema } from '../../../shared/schema-config';
import { validateDelivery } from '../../../server/validate';
import { delivery } from '../verify/fixtures';

const config = (input: unknown) => schemaConfigSchema.parse(input);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- mutations reach into arbitrary sample JSON
type Body = Record<string, any>;

/** A sample as its platform puts it on the wire. */
function wire(eventName: string, mutate?: (body: Body) => void) {
  const found = findEvent(eventName);
  if (!found) throw new Error(`no event ${eventName}`);
  const body = found.event.sample(fixedSampleContext()) as Body;
  mutate?.(body);
  if (found.catalog.encoding === 'form') {
    return delivery({ body: new URLSearchParams(body as Record<string, string>).toString(), headers: [['Content-Type', 'application/x-www-form-urlencoded']] });
  }
  return delivery({ body: JSON.stringify(body), headers: [['Content-Type', 'application/json']] });
}

describe('built-in catalogs', () => {
  const all = CATALOGS.flatMap((catalog) => catalog.events.map((event) => [catalog.name, event.name] as const));

  it.each(all)('%s: the %s sample validates and is detected as itself, by its catalog and by auto', (catalog, name) => {
    for (const mode of [{ catalog }, { catalog: 'auto' }]) {
      const verdict = validateDelivery(wire(name), config({ mode: 'enforce', ...mode }));
      expect(verdict).toEqual({ status: 'valid', eventType: name, catalog, issues: [] });
    }
  });

  const mutations: [string, (b: Body) => void, string, string?][] = [
    ['messaging.message-read', (b) => (b.read_at = 1624375148), 'read_at'],
    ['messaging.message-read', (b) => (b.question.type = 'maybe'), 'question.type'],
    ['messaging.message-delivered', (b) => (b.cellphone = '+57 300 123'), 'cellphone'],
    ['messaging.message-response', (b) => delete b.actual_response, 'actual_response'],
    ['messaging.opt-out', (b) => delete b.sent_text, 'sent_text'],
    ['messaging.conversation-closed', (b) => delete b.messages[0].image, 'messages[0].image'],
    ['messaging.hsm-status', (b) => (b.status = 'ON_HOLD'), 'status'],
    ['journey-feedback.email.bounce', (b) => (b.messageDeliveryFeedback.messageFailure = null), 'messageDeliveryFeedback.messageFailure'],
    ['journey-feedback.email.delivered', (b) => (b.identityMap.email[0].id = 42), 'identityMap.email[0].id'],
    ['journey-feedback.sms.sent', (b) => (b.messageDeliveryFeedback.numberOfMessageParts = 'two'), 'messageDeliveryFeedback.numberOfMessageParts'],
    ['journey-feedback.sms.delivered', (b) => (b.messageDeliveryFeedback.feedbackStatus.value = 'lost'), 'messageDeliveryFeedback.feedbackStatus.value', 'journey-feedback.sms.lost'],
    ['whatsapp-cloud.status.failed', (b) => delete b.entry[0].changes[0].value.statuses[0].errors, 'entry[0].changes[0].value.statuses[0].errors'],
    ['whatsapp-cloud.status.delivered', (b) => (b.entry[0].changes[0].value.statuses[0].timestamp = 'yesterday'), 'entry[0].changes[0].value.statuses[0].timestamp'],
    ['whatsapp-cloud.status.read', (b) => delete b.entry[0].changes[0].value.metadata.phone_number_id, 'entry[0].changes[0].value.metadata.phone_number_id'],
    ['whatsapp-cloud.message-template-status-update', (b) => (b.entry[0].changes[0].value.event = 'MAYBE'), 'entry[0].changes[0].value.event'],
    ['twilio-messaging.status.failed', (b) => delete b.ErrorCode, 'ErrorCode'],
    ['twilio-messaging.status.delivered', (b) => (b.AccountSid = 'AC123'), 'AccountSid'],
  ];

  it.each(mutations)('%s with a targeted mutation fails at the expected path', (name, mutate, path, detectedAs = name) => {
    const verdict = validateDelivery(wire(name, mutate), config({ mode: 'enforce', catalog: 'auto' }));
    expect(verdict.status).toBe('invalid');
    expect(verdict.eventType).toBe(detectedAs);
    expect(verdict.issues.map((i) => i.path)).toContain(path);
  });

  it("accepts AJO's official email bounce sample as published", () => {
    const official = { requestId: '8NoByJneShCdCGRnrGS1t1m3CdA73dhR', imsOrg: 'myImsOrg', sandbox: { id: '068abf40-575e-11ea-8512-9b1bfdb82603', name: 'prod' }, channel: 'email', eventType: 'message.feedback', messageExecution: { messageExecutionID: 'HUMA-26362805', messageType: 'transactional', campaignID: '16f24a15-7e21-477c-848a-d5695ca7f137', campaignVersionID: '2ca10c10-56dd-4505-87cd-fa5da84e7a5d', campaignType: 'ApiTriggered' }, messageDeliveryFeedback: { feedbackStatus: { value: 'bounce' }, offers: null, messageExclusion: null, messageFailure: { category: 'sync', type: 'Ignored', code: '25', reason: 'Admin Failure' }, retryCount: 0, encoding: null, numberOfMessageParts: null, deliveryTimestamp: null }, identityMap: { email: [{ id: 'john.doe@luma.com', primary: true }] } };
    const verdict = validateDelivery(delivery({ body: JSON.stringify(official) }), config({ mode: 'enforce', catalog: 'journey-feedback' }));
    expect(verdict).toMatchObject({ status: 'valid', eventType: 'journey-feedback.email.bounce' });
  });

  it('accepts the quirks real senders have: new fields anywhere, numbers as strings, zone-less times, unknown WhatsApp statuses', () => {
    const extra = wire('messaging.message-read', (b) => Object.assign(b, { brand_new_field: { x: 1 }, read_at: '2021-06-22 15:19:08' }));
    expect(validateDelivery(extra, config({ mode: 'enforce' })).status).toBe('valid');
    const deleted = wire('whatsapp-cloud.status.sent', (b) => {
      b.entry[0].changes[0].value.statuses[0].status = 'deleted';
      b.entry[0].changes[0].value.statuses[0].new_meta_field = true;
    });
    expect(validateDelivery(deleted, config({ mode: 'enforce' }))).toMatchObject({ status: 'valid', eventType: 'whatsapp-cloud.status.deleted' });
    const textId = wire('whatsapp-cloud.message-template-status-update', (b) => (b.entry[0].changes[0].value.message_template_id = '1689556908129832'));
    expect(validateDelivery(textId, config({ mode: 'enforce' })).status).toBe('valid');
    const smsParts = wire('journey-feedback.sms.delivered', (b) => (b.messageDeliveryFeedback.numberOfMessageParts = '2'));
    expect(validateDelivery(smsParts, config({ mode: 'enforce' })).status).toBe('valid');
    const extraParam = wire('twilio-messaging.status.read', (b) => Object.assign(b, { ChannelPrefix: 'whatsapp', From: 'whatsapp:+15017122661' }));
    expect(validateDelivery(extraParam, config({ mode: 'enforce' })).status).toBe('valid');
  });

  it('with a named catalog, calls an unrecognised body invalid and points at the closest event', () => {
    const verdict = validateDelivery(delivery({ body: '{"object":"whatsapp_business_account","entry":[]}' }), config({ mode: 'enforce', catalog: 'messaging' }));
    expect(verdict.status).toBe('invalid');
    expect(verdict.eventType).toBeUndefined();
    expect(verdict.issues[0]?.message).toMatch(/not recognised as any .* event; closest is messaging\./);
  });

  it('with auto, calls an unrecognised body unknown, not invalid', () => {
    expect(validateDelivery(delivery({ body: '{"hello":"world"}' }), config({ mode: 'enforce' }))).toEqual({ status: 'unknown', issues: [] });
    expect(validateDelivery(delivery({ body: 'not json' }), config({ mode: 'observe', catalog: 'auto' })).status).toBe('unknown');
    expect(validateDelivery(delivery({ body: 'not json' }), config({ mode: 'observe', catalog: 'twilio-messaging' })).status).toBe('invalid');
  });

  it('is skipped when the mode is off', () => {
    expect(validateDelivery(wire('messaging.hsm-status'), config({ mode: 'off', catalog: 'messaging' })).status).toBe('skipped');
  });
});
