import { useState } from 'react';
import type { EndpointView } from '../../../../../shared/endpoint';
import { Dialog } from '../../../components/ui/dialog';
import { Tabs } from '../../../components/ui/tabs';
import { useNotify } from '../../../components/ui/toasts';
import { errorMessage, useApi } from '../../../lib/api-client';
import { updateEndpoint } from '../api/settings-api';
import { storedSecret, toDraft, toUpdate, type Draft } from '../utils/draft';
import { ForwardForm } from './forward-form';
import { RateLimitField } from './rate-limit-field';
import { ResponseForm } from './response-form';
import { SchemaForm } from './schema-form';
import { TestEventForm } from './test-event-form';
import { VerifyForm } from './verify-form';

export type SettingsTab = 'response' | 'verify' | 'schema' | 'forward' | 'test';

interface Props {
  endpoint: EndpointView;
  initialTab?: SettingsTab;
  onClose: () => void;
  onSaved: (endpoint: EndpointView) => void;
}

/** Endpoint settings: response and retention, verification, schema, test event. */
export function SettingsDialog({ endpoint, initialTab = 'response', onClose, onSaved }: Props) {
  const api = useApi();
  const notify = useNotify();
  const [tab, setTab] = useState<SettingsTab>(initialTab);
  const [draft, setDraft] = useState<Draft>(() => toDraft(endpoint));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const patch = (p: Partial<Draft>) => setDraft((d) => ({ ...d, ...p }));

  const save = async () => {
    setError(null);
    setSaving(true);
    try {
      const saved = await updateEndpoint(api, endpoint.id, toUpdate(draft, endpoint));
      setDraft(toDraft(saved));
      onSaved(saved);
      notify('Settings saved');
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog title={`Settings · ${endpoint.name}`} onClose={onClose} footer={tab === 'test' ? <button type="button" className="btn" onClick={onClose}>Close</button> : <>
      {error && <span className="error-text" role="alert" style={{ flex: 1 }}>{error}</span>}
      <button type="button" className="btn" onClick={onClose}>Cancel</button>
      <button type="button" className="btn btn--primary" disabled={saving} onClick={() => void save()}>{saving ? 'Saving…' : 'Save'}</button>
    </>}>
      <Tabs label="Settings sections" active={tab} onChange={setTab} tabs={[
        { key: 'response', label: 'Response' },
        { key: 'verify', label: 'Verification' },
        { key: 'schema', label: 'Schema' },
        { key: 'forward', label: 'Forward' },
        { key: 'test', label: 'Test event' },
      ]} />
      <div className="dialog__body">
        {tab === 'response' && <ResponseForm draft={draft} patch={patch} />}
        {tab === 'response' && <RateLimitField draft={draft} patch={patch} endpointId={endpoint.id} />}
        {tab === 'verify' && <VerifyForm draft={draft} patch={patch} storedSecret={storedSecret(endpoint, draft.scheme)} />}
        {tab === 'schema' && <SchemaForm draft={draft} patch={patch} />}
        {tab === 'forward' && <ForwardForm draft={draft} patch={patch} />}
        {tab === 'test' && <TestEventForm endpointId={endpoint.id} />}
      </div>
    </Dialog>
  );
}
