import { z } from 'zod';
import { asRecord, fixedSampleContext, idLike, looseTimestamp, zonelessTime, type Catalog, type CatalogEvent, type SampleContext } from './catalog';

// Treble's flow and global webhooks, from Treble's OpenAPI (github.com/treble-ai/docs). Flow events
// carry no type field: they are told apart by the timestamps and answers they carry.

const question = z.looseObject({
  type: z.enum(['open', 'closed']),
  text: z.string(),
  answers: z.array(z.looseObject({ text: z.string() })).optional(),
});

const sessionKey = z.looseObject({ key: z.string(), value: z.unknown(), type: z.string().nullable().optional() });

const flowBase = {
  country_code: z.string().regex(/^\+?\d{1,4}$/, 'expected a country calling code like "+57"'),
  cellphone: z.union([z.string().regex(/^\d{4,15}$/, 'expected the phone number without country code, digits only'), z.number().int()]),
  session_id: idLike,
  conversation_id: idLike,
  question: question.optional(),
  user_session_keys: z.array(sessionKey).optional(),
};
const sent = { sent_at: looseTimestamp, sent_text: z.string() };

const readSchema = z.looseObject({ ...flowBase, ...sent, read_at: looseTimestamp });
const deliveredSchema = z.looseObject({ ...flowBase, ...sent, delivered_at: looseTimestamp });
const responseSchema = z.looseObject({
  ...flowBase,
  ...sent,
  responded_at: looseTimestamp,
  actual_response: z.string(),
  classified_answer: z.looseObject({ text: z.string() }).nullable(),
});
const optOutSchema = z.looseObject({ ...flowBase, ...sent, classified_answer: z.looseObject({ text: z.string() }).nullable().optional(), reason: z.literal('OPTOUT') });
const timeoutSchema = z.looseObject({ ...flowBase, timeout_at: looseTimestamp });

const messageTypes = ['text', 'hsm', 'image', 'video', 'audio', 'document', 'location'] as const;
const message = z
  .looseObject({
    sender: z.enum(['user', 'company']),
    type: z.enum(messageTypes),
    created_at: looseTimestamp,
    delivered_at: looseTimestamp.nullable().optional(),
    read_at: looseTimestamp.nullable().optional(),
  })
  // The payload sits under a key named after the type: {"type":"image","image":{…}}.
  .superRefine((m, ctx) => {
    if (!(m.type in m)) ctx.addIssue({ code: 'custom', path: [m.type], message: `a ${m.type} message carries its content under "${m.type}"` });
  });
const conversationClosedSchema = z.looseObject({
  session: z.looseObject({ external_id: z.string(), closed_at: looseTimestamp }),
  user: z.looseObject({ country_code: z.string(), cellphone: z.string() }),
  company: z.looseObject({ id: idLike, cellphone: z.string().optional() }),
  messages: z.array(message),
  user_session_keys: z.array(sessionKey).optional(),
  hsm: z.looseObject({ name: z.string(), text: z.string().optional() }).nullable().optional(),
});
const hsmStatusSchema = z.looseObject({
  event_id: z.string().min(1),
  timestamp: z.iso.datetime({ offset: true }).or(looseTimestamp),
  event_type: z.literal('hsm.status'),
  status: z.enum(['APPROVED', 'REJECTED', 'PAUSED', 'DISABLED', 'PENDING_DELETION']),
  name: z.string().min(1),
  affected_conversation_ids: z.array(z.number().int()).optional(),
});

function flowSample(c: SampleContext): Record<string, unknown> {
  return {
    country_code: '+57',
    cellphone: '3001234567',
    session_id: `ses_${c.uniqueId()}`,
    conversation_id: 1234,
    question: { type: 'closed', text: '¿Necesitas ayuda?', answers: [{ text: 'Si necesito' }, { text: 'No, thanks' }] },
    user_session_keys: [{ key: 'name', value: 'Juan Pérez', type: null }],
  };
}
const sentSample = (c: SampleContext) => ({ sent_at: zonelessTime(c, -3) + '.473256', sent_text: '¿Necesitas ayuda?' });

const events: CatalogEvent[] = [
  { name: 'messaging.message-read', description: 'The user read a flow message (read_at).', schema: readSchema, sample: (c = fixedSampleContext()) => ({ ...flowSample(c), ...sentSample(c), read_at: zonelessTime(c) }) },
  { name: 'messaging.message-delivered', description: 'A flow message reached the phone (delivered_at).', schema: deliveredSchema, sample: (c = fixedSampleContext()) => ({ ...flowSample(c), ...sentSample(c), delivered_at: zonelessTime(c) }) },
  {
    name: 'messaging.message-response',
    description: 'The user answered a flow question (actual_response, classified_answer).',
    schema: responseSchema,
    sample: (c = fixedSampleContext()) => ({ ...flowSample(c), ...sentSample(c), conversation_id: '5678', responded_at: zonelessTime(c), actual_response: 'Si necesito', classified_answer: { text: 'Si necesito' } }),
  },
  { name: 'messaging.opt-out', description: 'The user opted out (reason "OPTOUT").', schema: optOutSchema, sample: (c = fixedSampleContext()) => ({ ...flowSample(c), ...sentSample(c), classified_answer: { text: 'No, thanks' }, reason: 'OPTOUT' }) },
  { name: 'messaging.flow-timeout', description: 'The user did not answer in time (timeout_at).', schema: timeoutSchema, sample: (c = fixedSampleContext()) => ({ ...flowSample(c), timeout_at: zonelessTime(c) }) },
  {
    name: 'messaging.conversation-closed',
    description: 'A conversation was closed, with its messages (global webhook).',
    schema: conversationClosedSchema,
    sample: (c = fixedSampleContext()) => ({
      session: { external_id: c.uniqueId(), closed_at: zonelessTime(c) },
      user: { country_code: '+57', cellphone: '3001234567' },
      company: { id: 1, cellphone: '12056192992' },
      messages: [
        { sender: 'company', type: 'image', image: { url: 'https://example.com/image.jpg', caption: 'Hola' }, created_at: zonelessTime(c, -120), delivered_at: null, read_at: null },
        { sender: 'user', type: 'text', text: { message: 'Hola, necesito ayuda' }, created_at: zonelessTime(c, -60), delivered_at: zonelessTime(c, -59), read_at: zonelessTime(c, -45) },
      ],
      user_session_keys: [{ key: 'name', value: 'Juan Pérez', type: null }],
      hsm: { name: 'welcome_message', text: 'Hola {{1}}, ¿cómo estás?' },
    }),
  },
  {
    name: 'messaging.hsm-status',
    description: 'A WhatsApp template (HSM) changed status (webhook center, event_type "hsm.status").',
    schema: hsmStatusSchema,
    sample: (c = fixedSampleContext()) => ({ event_id: c.uniqueId(), timestamp: new Date(c.nowMs).toISOString(), event_type: 'hsm.status', status: 'APPROVED', name: 'welcome_message', affected_conversation_ids: [12345, 67890] }),
  },
];

/** Which Treble event a body is: webhook-center events by `event_type`, flow events by their fields. */
function detect(body: unknown): string | null {
  const o = asRecord(body);
  if (!o) return null;
  if (o.event_type === 'hsm.status') return 'messaging.hsm-status';
  if ('session' in o && 'messages' in o) return 'messaging.conversation-closed';
  const flow = 'cellphone' in o || 'session_id' in o || 'conversation_id' in o;
  if (!flow) return null;
  if (o.reason === 'OPTOUT') return 'messaging.opt-out';
  if ('actual_response' in o || 'responded_at' in o) return 'messaging.message-response';
  if ('read_at' in o) return 'messaging.message-read';
  if ('delivered_at' in o) return 'messaging.message-delivered';
  if ('timeout_at' in o) return 'messaging.flow-timeout';
  return null;
}

/** Treble (WhatsApp conversation platform) flow and global webhooks. */
export const messagingCatalog: Catalog = { name: 'messaging', title: 'Messaging platform (Treble)', encoding: 'json', events, detect };
