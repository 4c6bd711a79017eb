import { captureRoutes } from './capture-routes';
import { catalogRoutes } from './catalog-routes';
import { endpointRoutes } from './endpoint-routes';
import { replayRoutes } from './replay-routes';
import { senderRoutes } from './sender-routes';
import type { ApiRoute } from './route';

export type { ApiAnswer, ApiRoute, NamedSchema } from './route';
export { named } from './route';

/**
 * Every `/api` route, as the OpenAPI document (`GET /api/openapi.json`) describes it. A new route
 * gets an entry in its area's file (or a new file listed here), naming its zod schemas; the
 * OpenAPI test fails until every mounted route has one.
 */
export const API_ROUTES: readonly ApiRoute[] = [...endpointRoutes, ...captureRoutes, ...replayRoutes, ...catalogRoutes, ...senderRoutes];
