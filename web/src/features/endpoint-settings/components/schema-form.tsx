import type { Draft } from '../utils/draft';
import { Field, type Patch } from './field';

const CATALOGS: ReadonlyArray<{ value: Draft['catalog']; label: string }> = [
  { value: 'none', label: 'None' },
  { value: 'auto', label: 'Detect (all catalogs)' },
  { value: 'messaging', label: 'Messaging platform' },
  { value: 'journey-feedback', label: 'Journey feedback' },
  { value: 'whatsapp-cloud', label: 'WhatsApp Cloud API' },
  { value: 'twilio-messaging', label: 'Twilio Messaging' },
  { value: 'custom', label: 'Custom JSON Schema' },
];

/** Event-schema validation: a catalog of platform events, or a JSON Schema of your own. */
export function SchemaForm({ draft, patch }: { draft: Draft; patch: Patch<Draft> }) {
  return (
    <div className="form">
      <div className="field-row">
        <Field label="Mode" hint="Observe records the verdict; enforce also answers 422 to invalid bodies.">
          <select className="select" value={draft.schemaMode} onChange={(e) => patch({ schemaMode: e.target.value as Draft['schemaMode'] })}>
            <option value="off">Off</option>
            <option value="observe">Observe</option>
            <option value="enforce">Enforce</option>
          </select>
        </Field>
        <Field label="Schema">
          <select className="select" value={draft.catalog} onChange={(e) => patch({ catalog: e.target.value as Draft['catalog'] })}>
            {CATALOGS.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
          </select>
        </Field>
      </div>
      {draft.catalog === 'custom' && (
        <Field label="JSON Schema" hint="Draft 2020-12 or draft-07. Issues are shown on the request with their path highlighted in the body.">
          <textarea className="textarea" rows={12} spellCheck={false} value={draft.jsonSchema}
            placeholder={'{\n  "type": "object",\n  "required": ["event"]\n}'} onChange={(e) => patch({ jsonSchema: e.target.value })} />
        </Field>
      )}
    </div>
  );
}
