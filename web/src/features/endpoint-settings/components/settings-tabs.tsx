import type { ReactNode } from 'react';
import type { EndpointView } from '../../../../../shared/endpoint';
import { storedSecret, type Draft } from '../utils/draft';
import type { Patch } from './field';
import { AlertsForm } from './alerts-form';
import { ForwardForm } from './forward-form';
import { RateLimitField } from './rate-limit-field';
import { ResponseForm } from './response-form';
import { RulesForm } from './rules-form';
import { RetentionForm } from './retention-form';
import { SchemaForm } from './schema-form';
import { TestEventForm } from './test-event-form';
import { VerifyForm } from './verify-form';

/** What every settings tab is given. */
export interface SettingsTabProps {
  endpoint: EndpointView;
  draft: Draft;
  patch: Patch<Draft>;
}

/** One tab of the Settings dialog. Add a tab by adding an entry here (and its fields to the Draft). */
export interface SettingsTabDefinition {
  key: string;
  label: string;
  /** The tab edits the draft (the dialog shows Save and Cancel); false: it acts by itself (Close only). */
  edits: boolean;
  render: (props: SettingsTabProps) => ReactNode;
  /** A number shown beside the label (how many rules…), when above zero. */
  count?: (draft: Draft) => number;
}

export const SETTINGS_TABS: readonly SettingsTabDefinition[] = [
  { key: 'response', label: 'Response', edits: true, render: (p) => <><ResponseForm {...p} /><RateLimitField draft={p.draft} patch={p.patch} endpointId={p.endpoint.id} /></> },
  { key: 'rules', label: 'Rules', edits: true, render: (p) => <RulesForm draft={p.draft} patch={p.patch} endpointId={p.endpoint.id} />, count: (d) => d.rules.length },
  { key: 'retention', label: 'Retention', edits: true, render: (p) => <RetentionForm {...p} /> },
  { key: 'verify', label: 'Verification', edits: true, render: (p) => <VerifyForm {...p} storedSecret={storedSecret(p.endpoint, p.draft.scheme)} /> },
  { key: 'schema', label: 'Schema', edits: true, render: (p) => <SchemaForm {...p} /> },
  { key: 'forward', label: 'Forward', edits: true, render: (p) => <ForwardForm {...p} /> },
  { key: 'alerts', label: 'Alerts', edits: true, render: (p) => <AlertsForm draft={p.draft} patch={p.patch} endpointId={p.endpoint.id} />, count: (d) => d.alerts.length },
  { key: 'test', label: 'Test event', edits: false, render: (p) => <TestEventForm endpoint={p.endpoint} /> },
];

/** A tab's key (`response`, `verify`, `test`…). */
export type SettingsTab = string;
