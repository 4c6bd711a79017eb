import type { SettingsTabProps } from './settings-tabs';
import { Field } from './field';

/** How many captures the endpoint keeps: the oldest go as new ones arrive. */
export function RetentionForm({ endpoint, draft, patch }: SettingsTabProps) {
  return (
    <div className="form">
      <Field label="Keep the newest (captures)" hint={`Older captures are deleted as new ones arrive. This endpoint holds ${endpoint.captureCount.toLocaleString()} now.`}>
        <input className="input" type="number" min={1} max={1_000_000} value={draft.maxCaptures} onChange={(e) => patch({ maxCaptures: e.target.value })} />
      </Field>
    </div>
  );
}
