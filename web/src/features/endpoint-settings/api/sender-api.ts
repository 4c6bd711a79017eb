import { alertAttemptListSchema, type AlertAttempt } from '../../../../../shared/alerts';
import { rulePreviewSchema, type RulePreview, type RulePreviewRequest } from '../../../../../shared/rules';
import type { ApiClient } from '../../../lib/api-client';

const path = (id: string) => `/api/endpoints/${encodeURIComponent(id)}`;

/** How draft (or saved) rules answer a sample request; evaluated by the server, nothing stored. */
export function previewRules(api: ApiClient, id: string, input: RulePreviewRequest): Promise<RulePreview> {
  return api.request(rulePreviewSchema, `${path(id)}/rules/preview`, { method: 'POST', json: input });
}

/** The endpoint's latest alert messages sent or tried, newest first. */
export async function alertAttempts(api: ApiClient, id: string): Promise<AlertAttempt[]> {
  return (await api.request(alertAttemptListSchema, `${path(id)}/alerts/attempts?limit=20`)).items;
}
