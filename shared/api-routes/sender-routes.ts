import { alertAttemptListSchema, alertAttemptsQuerySchema } from '../alerts';
import { rulePreviewRequestSchema, rulePreviewSchema } from '../rules';
import { named, type ApiRoute } from './route';

const NO_ENDPOINT = 'no endpoint with this id';

/** The rules preview (server/api/rule-routes.ts) and alert attempts (server/alerts/alert-routes.ts). */
export const senderRoutes: ApiRoute[] = [
  {
    method: 'post', path: '/api/endpoints/:id/rules/preview', operationId: 'previewRules', tag: 'endpoints',
    summary: 'How the response rules (saved, or a draft) answer a sample request; nothing is stored', params: { id: 'endpoint id' },
    body: named('RulePreviewRequest', rulePreviewRequestSchema),
    responses: { 200: { description: 'the event type and delivery id ingest would compute, each rule looked at, and the answer', json: named('RulePreview', rulePreviewSchema) } },
    errors: { 400: 'the sample or the draft rules are not valid (every problem listed in details)', 404: NO_ENDPOINT },
  },
  {
    method: 'get', path: '/api/endpoints/:id/alerts/attempts', operationId: 'listAlertAttempts', tag: 'endpoints',
    summary: 'Alert messages sent or tried for the endpoint, newest first', params: { id: 'endpoint id' },
    query: alertAttemptsQuerySchema,
    responses: { 200: { description: 'the attempts (URLs masked)', json: named('AlertAttemptList', alertAttemptListSchema) } },
    errors: { 400: 'limit is not a whole number from 1 to 200', 404: NO_ENDPOINT },
  },
];
