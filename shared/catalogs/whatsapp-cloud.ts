import { z } from 'zod';
import { asRecord, fixedSampleContext, idLike, unixText, unixSecondsText, type Catalog, type CatalogEvent, type SampleContext } from './catalog';

// WhatsApp Cloud API webhooks (Meta's webhook reference: messages › status, and
// message_template_status_update). One POST may batch several entries, changes and statuses;
// every one is validated, the event type comes from the first.

const STATUSES = ['sent', 'delivered', 'read', 'failed'] as const;

const statusItem = z
  .looseObject({
    id: z.string().min(1),
    // Other values exist (deleted, warning) and more may come: accepted, named in the event type.
    status: z.string().min(1),
    timestamp: unixSecondsText,
    recipient_id: z.string().min(1),
    conversation: z.looseObject({ id: z.string(), expiration_timestamp: unixSecondsText.optional(), origin: z.looseObject({ type: z.string() }).optional() }).optional(),
    pricing: z.looseObject({ billable: z.boolean().optional(), pricing_model: z.string(), category: z.string() }).optional(),
    errors: z.array(z.looseObject({ code: z.number().int(), title: z.string(), message: z.string().optional(), error_data: z.looseObject({ details: z.string() }).optional() })).optional(),
    biz_opaque_callback_data: z.string().optional(),
  })
  .superRefine((s, ctx) => {
    if (s.status === 'failed' && !(s.errors && s.errors.length > 0)) ctx.addIssue({ code: 'custom', path: ['errors'], message: 'a failed status carries errors [{code, title, …}]' });
  });

const metadata = z.looseObject({ display_phone_number: z.string(), phone_number_id: z.string() });

const messagesChange = z.looseObject({
  field: z.literal('messages'),
  value: z.looseObject({ messaging_product: z.literal('whatsapp'), metadata, statuses: z.array(statusItem).min(1) }),
});

const TEMPLATE_EVENTS = ['APPROVED', 'ARCHIVED', 'DELETED', 'DISABLED', 'FLAGGED', 'IN_APPEAL', 'LIMIT_EXCEEDED', 'LOCKED', 'PAUSED', 'PENDING', 'REINSTATED', 'PENDING_DELETION', 'REJECTED'] as const;
const TEMPLATE_REASONS = ['ABUSIVE_CONTENT', 'CATEGORY_NOT_AVAILABLE', 'INCORRECT_CATEGORY', 'INVALID_FORMAT', 'NONE', 'PROMOTIONAL', 'SCAM', 'TAG_CONTENT_MISMATCH'] as const;

const templateChange = z.looseObject({
  field: z.literal('message_template_status_update'),
  value: z.looseObject({
    event: z.enum(TEMPLATE_EVENTS),
    // ~16 digits, close to 2^53: a number in JSON, kept as text by careful senders.
    message_template_id: idLike,
    message_template_name: z.string().min(1),
    message_template_language: z.string().min(2),
    reason: z.enum(TEMPLATE_REASONS).nullable(),
    message_template_category: z.string().optional(),
  }),
});

const envelope = <T extends z.ZodType>(change: T) =>
  z.looseObject({
    object: z.literal('whatsapp_business_account'),
    entry: z.array(z.looseObject({ id: z.string().min(1), time: z.number().int().optional(), changes: z.array(change).min(1) })).min(1),
  });

const statusSchema = envelope(messagesChange);
const templateSchema = envelope(templateChange);

function statusSample(status: string, c: SampleContext): Record<string, unknown> {
  const first = status !== 'read';
  const item: Record<string, unknown> = {
    id: `wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJ${c.uniqueId().toUpperCase()}`,
    status,
    timestamp: unixText(c),
    recipient_id: '16505551234',
    ...(first && status !== 'failed' && {
      conversation: { id: 'a75d17ad06104c51166f948319b03c6a', expiration_timestamp: unixText(c, 86_400), origin: { type: 'utility' } },
      pricing: { billable: true, pricing_model: 'CBP', category: 'utility' },
    }),
    ...(status === 'failed' && {
      errors: [{ code: 131014, title: 'Request for url https://URL.jpg failed with error: 404 (Not Found)', message: 'Request for url failed', error_data: { details: 'Media download failed' }, href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/' }],
    }),
  };
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' }, statuses: [item] } }] }],
  };
}

const events: CatalogEvent[] = [
  ...STATUSES.map((status) => ({
    name: `whatsapp-cloud.status.${status}`,
    description: `A message status update: ${status}.`,
    schema: statusSchema,
    sample: (c: SampleContext = fixedSampleContext()) => statusSample(status, c),
  })),
  {
    name: 'whatsapp-cloud.message-template-status-update',
    description: 'A message template changed status (approved, rejected, paused…).',
    schema: templateSchema,
    sample: (c: SampleContext = fixedSampleContext()) => ({
      object: 'whatsapp_business_account',
      entry: [{ id: '102290129340398', time: Math.floor(c.nowMs / 1000), changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED', message_template_id: 1689556908129832, message_template_name: 'order_confirmation', message_template_language: 'en-US', reason: 'NONE', message_template_category: 'UTILITY' } }] }],
    }),
  },
];

/** The event of a WhatsApp Business Account webhook: template status, or the first status's value. */
function detect(body: unknown): string | null {
  const o = asRecord(body);
  if (!o || o.object !== 'whatsapp_business_account' || !Array.isArray(o.entry)) return null;
  const change = asRecord((asRecord(o.entry[0])?.changes as unknown[] | undefined)?.[0]);
  if (change?.field === 'message_template_status_update') return 'whatsapp-cloud.message-template-status-update';
  const statuses = asRecord(change?.value)?.statuses;
  if (change?.field !== 'messages' || !Array.isArray(statuses)) return null;
  return `whatsapp-cloud.status.${String(asRecord(statuses[0])?.status ?? 'unknown').slice(0, 40)}`;
}

/** WhatsApp Cloud API message statuses and template status updates. */
export const whatsappCloudCatalog: Catalog = { name: 'whatsapp-cloud', title: 'WhatsApp Cloud API', encoding: 'json', events, detect, envelope: statusSchema };
