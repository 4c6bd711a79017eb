import { describe, expect, it } from 'vitest';
import { findEvent, fixedSampleContext } from '../../../shared/catalogs';
import { schemaConfigSchema } from '../../../shared/schema-config';
import { validateDelivery } from '../../../server/validate';
import { delivery } from '../verify/fixtures';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- mutations reach into arbitrary sample JSON
type Body = Record<string, any>;

function issuesOf(eventName: string, mutate: (body: Body) => void) {
  const body = findEvent(eventName)?.event.sample(fixedSampleContext()) as Body;
  mutate(body);
  const verdict = validateDelivery(delivery({ body: JSON.stringify(body), headers: [['Content-Type', 'application/json']] }), schemaConfigSchema.parse({ mode: 'enforce', catalog: 'auto' }));
  return verdict.issues;
}

describe('schema issues in plain words', () => {
  it('names a missing field as missing, keeping the validator\'s words as the detail', () => {
    expect(issuesOf('messaging.message-response', (b) => delete b.actual_response)).toEqual([
      { path: 'actual_response', message: 'required field `actual_response` is missing', detail: 'Invalid input: expected string, received undefined' },
    ]);
  });

  it('says what type was expected and what arrived', () => {
    expect(issuesOf('journey-feedback.email.delivered', (b) => (b.identityMap.email[0].id = 42))[0]?.message)
      .toBe('`identityMap.email[0].id` should be a string, but it is 42');
  });

  it('lists the allowed values of an enum', () => {
    expect(issuesOf('messaging.message-read', (b) => (b.question.type = 'maybe'))[0]?.message)
      .toBe('`question.type` should be one of "open", "closed", but it is "maybe"');
  });

  it('shows the value beside a format the catalog explains', () => {
    expect(issuesOf('whatsapp-cloud.status.delivered', (b) => (b.entry[0].changes[0].value.statuses[0].timestamp = 'yesterday'))[0]?.message)
      .toBe('`entry[0].changes[0].value.statuses[0].timestamp` is "yesterday"; expected unix seconds as a string of digits');
  });

  it('keeps sentences the catalogs wrote themselves, without a detail', () => {
    const [issue] = issuesOf('journey-feedback.email.bounce', (b) => (b.messageDeliveryFeedback.messageFailure = null));
    expect(issue?.message).toMatch(/^a bounce carries messageFailure/);
    expect(issue?.detail).toBeUndefined();
  });
});
