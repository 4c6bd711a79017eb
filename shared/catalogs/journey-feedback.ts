import { z } from 'zod';
import { asRecord, fixedSampleContext, numberLike, type Catalog, type CatalogEvent, type SampleContext } from './catalog';

// Adobe Journey Optimizer feedback webhooks (`eventType: "message.feedback"`), from the official
// email-bounce and SMS-delivered samples and the AJO schema dictionary. Every sub-field of
// messageDeliveryFeedback may be null or absent; every level accepts new fields.

const STATUSES = ['sent', 'delivered', 'bounce', 'delay', 'error', 'exclude', 'duplicate', 'denylist'] as const;
const CHANNELS = ['email', 'sms'] as const;

const nullish = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

const failure = z.looseObject({
  category: nullish(z.string()),
  type: nullish(z.string()),
  code: nullish(z.union([z.string(), z.number()])),
  reason: nullish(z.string()),
});

const feedbackSchema = z
  .looseObject({
    requestId: z.string().min(1),
    imsOrg: z.string().min(1),
    sandbox: z.looseObject({ id: z.string(), name: z.string() }),
    channel: z.enum(CHANNELS),
    eventType: z.literal('message.feedback'),
    messageExecution: z.looseObject({
      messageExecutionID: z.string(),
      messageType: nullish(z.string()),
      campaignID: nullish(z.string()),
      campaignVersionID: nullish(z.string()),
      campaignType: nullish(z.string()),
      messageID: nullish(z.string()),
      messageProfileID: nullish(z.string()),
    }),
    messageDeliveryFeedback: z.looseObject({
      feedbackStatus: z.looseObject({ value: z.enum(STATUSES) }),
      offers: nullish(z.unknown()),
      messageExclusion: nullish(z.unknown()),
      messageFailure: nullish(failure),
      retryCount: nullish(numberLike),
      encoding: nullish(z.string()),
      // A string in the official SMS sample ("2").
      numberOfMessageParts: nullish(numberLike),
      deliveryTimestamp: nullish(z.string()),
      responseCode: nullish(z.union([z.string(), z.number()])),
      responseDurationMillis: nullish(numberLike),
    }),
    identityMap: z.record(z.string(), z.array(z.looseObject({ id: z.string(), primary: z.boolean().optional() }))),
    channelContext: nullish(z.looseObject({ profileAddress: nullish(z.string()), profileNumber: nullish(z.string()) })),
  })
  .superRefine((event, ctx) => {
    const value = event.messageDeliveryFeedback.feedbackStatus.value;
    if ((value === 'bounce' || value === 'error') && !event.messageDeliveryFeedback.messageFailure) {
      ctx.addIssue({ code: 'custom', path: ['messageDeliveryFeedback', 'messageFailure'], message: `a ${value} carries messageFailure (category, type, code, reason)` });
    }
  });

const FAILURES: Partial<Record<(typeof STATUSES)[number], Record<string, unknown>>> = {
  bounce: { category: 'sync', type: 'Ignored', code: '25', reason: 'Admin Failure' },
  error: { category: 'async', type: 'Hard', code: '21', reason: 'Invalid domain' },
};

function sample(channel: (typeof CHANNELS)[number], value: (typeof STATUSES)[number], c: SampleContext): Record<string, unknown> {
  const sms = channel === 'sms';
  return {
    requestId: c.uniqueId(),
    imsOrg: 'myImsOrg',
    sandbox: { id: '068abf40-575e-11ea-8512-9b1bfdb82603', name: 'prod' },
    channel,
    eventType: 'message.feedback',
    messageExecution: {
      messageExecutionID: 'HUMA-26362805',
      messageType: sms ? 'marketing' : 'transactional',
      campaignID: '16f24a15-7e21-477c-848a-d5695ca7f137',
      campaignVersionID: '2ca10c10-56dd-4505-87cd-fa5da84e7a5d',
      campaignType: 'ApiTriggered',
      ...(sms && { messageID: c.uniqueId(), messageProfileID: c.uniqueId() }),
    },
    messageDeliveryFeedback: {
      feedbackStatus: { value },
      offers: null,
      messageExclusion: null,
      messageFailure: FAILURES[value] ?? null,
      retryCount: 0,
      encoding: sms ? 'GSM' : null,
      numberOfMessageParts: sms ? '1' : null,
      deliveryTimestamp: sms && value === 'delivered' ? new Date(c.nowMs).toISOString() : null,
      ...(sms && { responseCode: 0, responseDurationMillis: 182 }),
    },
    identityMap: sms ? { Phone: [{ id: '+15555550123' }] } : { email: [{ id: 'john.doe@luma.com', primary: true }] },
    ...(sms && { channelContext: { profileAddress: null, profileNumber: '+15555550123' } }),
  };
}

const events: CatalogEvent[] = CHANNELS.flatMap((channel) =>
  STATUSES.map((value) => ({
    name: `journey-feedback.${channel}.${value}`,
    description: `Journey Optimizer ${channel === 'sms' ? 'SMS' : 'email'} feedback: ${value}.`,
    schema: feedbackSchema,
    sample: (c: SampleContext = fixedSampleContext()) => sample(channel, value, c),
  })),
);

/** `journey-feedback.<channel>.<status>` for an AJO message.feedback body. */
function detect(body: unknown): string | null {
  const o = asRecord(body);
  if (!o || o.eventType !== 'message.feedback') return null;
  const channel = CHANNELS.includes(o.channel as never) ? (o.channel as string) : 'email';
  const value = asRecord(asRecord(o.messageDeliveryFeedback)?.feedbackStatus)?.value;
  return `journey-feedback.${channel}.${String(value).slice(0, 40)}`;
}

/** Adobe Journey Optimizer email and SMS delivery feedback. */
export const journeyFeedbackCatalog: Catalog = {
  name: 'journey-feedback',
  title: 'Campaign delivery feedback (Adobe Journey Optimizer)',
  encoding: 'json',
  events,
  detect,
  envelope: feedbackSchema,
};
