import { z } from 'zod';
import { asRecord, fixedSampleContext, type Catalog, type CatalogEvent, type SampleContext } from './catalog';

// Twilio message status callbacks (twilio.com/docs/messaging/guides/track-outbound-message-status):
// form-encoded, every value a string. Twilio "occasionally adds new properties without advance
// notice", so unknown parameters are accepted.

const STATUSES = ['queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'read', 'accepted', 'scheduled', 'canceled'] as const;

const sid = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `expected a ${prefix}… SID (${prefix} + 32 hex digits)`);
const address = z.string().regex(/^(whatsapp:|messenger:|rcs:)?\+?[\w.@-]{3,}$/, 'expected a phone number (E.164) or a channel address like whatsapp:+1…');

const statusCallback = z
  .looseObject({
    AccountSid: sid('AC'),
    MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'expected an SM… or MM… message SID'),
    MessageStatus: z.enum(STATUSES),
    From: address,
    To: address,
    ApiVersion: z.string().optional(),
    SmsSid: z.string().optional(),
    SmsStatus: z.string().optional(),
    MessagingServiceSid: sid('MG').optional(),
    ErrorCode: z.string().regex(/^\d+$/, 'expected a numeric error code').optional(),
  })
  .superRefine((params, ctx) => {
    if ((params.MessageStatus === 'failed' || params.MessageStatus === 'undelivered') && !params.ErrorCode) {
      ctx.addIssue({ code: 'custom', path: ['ErrorCode'], message: `a ${params.MessageStatus} message carries an ErrorCode` });
    }
  });

const hex32 = (c: SampleContext) => c.uniqueId().padStart(32, '0').slice(-32);

function sample(status: (typeof STATUSES)[number], c: SampleContext): Record<string, string> {
  const messageSid = `SM${hex32(c)}`;
  return {
    AccountSid: 'AC00000000000000000000000000000000',
    ApiVersion: '2010-04-01',
    From: '+15017122661',
    MessageSid: messageSid,
    MessageStatus: status,
    SmsSid: messageSid,
    SmsStatus: status,
    To: '+15558675310',
    ...((status === 'failed' || status === 'undelivered') && { ErrorCode: '30003' }),
  };
}

const events: CatalogEvent[] = STATUSES.map((status) => ({
  name: `twilio-messaging.status.${status}`,
  description: `A message status callback: ${status}.`,
  schema: statusCallback,
  sample: (c: SampleContext = fixedSampleContext()) => sample(status, c),
}));

/** `twilio-messaging.status.<MessageStatus>` for a status callback's parameters. */
function detect(body: unknown): string | null {
  const o = asRecord(body);
  if (!o || typeof o.MessageSid !== 'string' || typeof o.MessageStatus !== 'string') return null;
  return `twilio-messaging.status.${o.MessageStatus.slice(0, 40)}`;
}

/** Twilio Messaging status callbacks. */
export const twilioMessagingCatalog: Catalog = { name: 'twilio-messaging', title: 'Twilio Messaging', encoding: 'form', events, detect, envelope: statusCallback };
