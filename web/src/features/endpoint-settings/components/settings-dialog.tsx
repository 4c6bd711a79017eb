import { useState } from 'react';
import type { EndpointView } from '../../../../../shared/endpoint';
import { Dialog } from '../../../components/ui/dialog';
import { Tabs } from '../../../components/ui/tabs';
import { useNotify } from '../../../components/ui/toasts';
import { errorMessage, useApi } from '../../../lib/api-client';
import { updateEndpoint } from '../api/settings-api';
import { toDraft, toUpdate, type Draft } from '../utils/draft';
import { SETTINGS_TABS, type SettingsTab } from './settings-tabs';

export type { SettingsTab } from './settings-tabs';

interface Props {
  endpoint: EndpointView;
  initialTab?: SettingsTab;
  onClose: () => void;
  onSaved: (endpoint: EndpointView) => void;
}

/**
 * Endpoint settings, one tab per concern (SETTINGS_TABS). The dialog keeps one size whatever the
 * tab; on a phone it is a full-screen sheet whose body scrolls under a footer that stays in reach.
 */
export function SettingsDialog({ endpoint, initialTab = 'response', onClose, onSaved }: Props) {
  const api = useApi();
  const notify = useNotify();
  const [tab, setTab] = useState<SettingsTab>(initialTab);
  const [draft, setDraft] = useState<Draft>(() => toDraft(endpoint));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const patch = (p: Partial<Draft>) => setDraft((d) => ({ ...d, ...p }));
  const current = SETTINGS_TABS.find((t) => t.key === tab) ?? (SETTINGS_TABS[0] as (typeof SETTINGS_TABS)[number]);

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

  const footer = current.edits ? <>
    {error && <span className="error-text" role="alert" style={{ flex: 1 }}>{error}</span>}
    <button type="button" className="btn" onClick={onClose}>Cancel</button>
    <button type="button" className="btn btn--primary" disabled={saving} onClick={() => void save()}>{saving ? 'Saving…' : 'Save'}</button>
  </> : <button type="button" className="btn" onClick={onClose}>Close</button>;

  return (
    <Dialog title={`Settings · ${endpoint.name}`} onClose={onClose} size="tall" footer={footer}>
      <Tabs label="Settings sections" active={current.key} onChange={setTab} tabs={SETTINGS_TABS.map(({ key, label, count }) => ({ key, label, ...(count && count(draft) > 0 && { count: count(draft) }) }))} />
      <div className="dialog__body" role="tabpanel" aria-label={current.label}>
        {current.render({ endpoint, draft, patch })}
      </div>
    </Dialog>
  );
}
