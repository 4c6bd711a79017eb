import { captureViewSchema } from '../capture';
import { named, type ApiRoute } from './route';

const NO_CAPTURE = 'no capture with this id (deleted, or evicted by retention)';

/** One capture, its raw body, its deletion (server/api/request-routes.ts). */
export const captureRoutes: ApiRoute[] = [
  {
    method: 'get', path: '/api/requests/:id', operationId: 'getCapture', tag: 'captures',
    summary: 'One capture: headers, query, body (UTF-8 text or base64), parsed view, verdicts, replays', params: { id: 'capture id' },
    responses: { 200: { description: 'the capture', json: named('CaptureView', captureViewSchema) } },
    errors: { 404: NO_CAPTURE },
  },
  {
    method: 'get', path: '/api/requests/:id/body', operationId: 'getCaptureBody', tag: 'captures',
    summary: 'The raw body bytes, with the content type they arrived with', params: { id: 'capture id' },
    responses: { 200: { description: 'the bytes exactly as received (served as an attachment)', media: { '*/*': null } } },
    errors: { 404: NO_CAPTURE },
  },
  {
    method: 'delete', path: '/api/requests/:id', operationId: 'deleteCapture', tag: 'captures',
    summary: 'Delete one capture', params: { id: 'capture id' },
    responses: { 204: { description: 'deleted' } },
    errors: { 404: NO_CAPTURE },
  },
];
