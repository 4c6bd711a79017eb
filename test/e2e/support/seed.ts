import { createHmac } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { rawRequest } from '../../support/http';
import type { TestServer } from '../../support/test-server';

export const GITHUB_SECRET = 'seed-github-secret';

/** The deliveries an inspector screen is judged on, by name → capture id. */
export interface Seeded {
  push: string;
  gzip: string;
  binary: string;
  invalid: string;
  form: string;
  oversize: string;
  duplicate: string;
  get: string;
}

const sign = (secret: string, body: Buffer) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

async function send(server: TestServer, path: string, headers: string[], body: Buffer, method = 'POST'): Promise<string> {
  const res = await rawRequest(`${server.url}/h/default${path}`, { method, headers: [...headers], body });
  const id = (JSON.parse(res.body.toString() || '{}') as { id?: string }).id;
  if (!id) throw new Error(`ingest answered ${res.status} without an id: ${res.body.toString()}`);
  return id;
}

/** A PNG's first bytes, then bytes of every value: binary at a glance. */
export const BINARY_BODY = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(Array.from({ length: 248 }, (_, i) => i))]);

export const PUSH_BODY = Buffer.from(JSON.stringify({
  ref: 'refs/heads/main', before: '6113728f27ae82c7b1a177c8d03f9e96e0adf246', after: '0000000000000000000000000000000000000000',
  repository: { id: 1296269, full_name: 'octocat/Hello-World' }, pusher: { name: 'octocat' },
  commits: [{ id: '6113728f27ae82c7b1a177c8d03f9e96e0adf246', message: 'Fix all the bugs', author: { name: 'Monalisa Octocat' } }],
}));

/**
 * Configures the `default` endpoint (GitHub signatures and catalog schemas, both observed) and
 * sends one delivery of each kind the inspector must make recognisable: a signed GitHub push, a
 * gzip body, a binary body, a catalog event with a bad signature and schema issues, a form, a body
 * over the size limit (the server must run with a small `bodyLimit`), a repeated delivery, a GET.
 */
export async function seedDeliveries(server: TestServer, oversizeBytes: number): Promise<Seeded> {
  const patch = await server.api('/api/endpoints/default', {
    method: 'PATCH',
    json: { verify: { mode: 'observe', hmac: { preset: 'github', secret: GITHUB_SECRET } }, schema: { mode: 'observe', catalog: 'auto' } },
  });
  if (!patch.ok) throw new Error(`cannot configure the endpoint: ${await patch.text()}`);
  const json = ['Content-Type', 'application/json'];
  const push = await send(server, '', [...json, 'User-Agent', 'GitHub-Hookshot/a1b2c3', 'X-GitHub-Event', 'push', 'X-GitHub-Delivery', '72d3162e-cc78-11e3-81ab-4c9367dc0958', 'X-Hub-Signature-256', sign(GITHUB_SECRET, PUSH_BODY)], PUSH_BODY);
  const gzipped = gzipSync(JSON.stringify({ type: 'invoice.paid', data: { object: { id: 'in_1', amount_paid: 4200, currency: 'eur' } } }));
  const gzip = await send(server, '/billing', [...json, 'Content-Encoding', 'gzip'], gzipped);
  const binary = await send(server, '/upload', ['Content-Type', 'application/octet-stream'], BINARY_BODY);
  // A message-read event missing its session_id, with a question type the catalog does not know.
  const messaging = Buffer.from(JSON.stringify({
    country_code: '+57', cellphone: '3001234567', conversation_id: 1234, question: { type: 'maybe', text: '¿Necesitas ayuda?', answers: [{ text: 'Si' }] },
    user_session_keys: [], sent_at: '2024-05-06 11:59:57', sent_text: '¿Necesitas ayuda?', read_at: '2024-05-06 12:00:00',
  }));
  const invalid = await send(server, '/treble', [...json, 'X-Hub-Signature-256', sign(`${GITHUB_SECRET}\n`, messaging)], messaging);
  const form = await send(server, '/twilio/status?attempt=1', ['Content-Type', 'application/x-www-form-urlencoded'], Buffer.from('MessageSid=SM1&MessageStatus=delivered&To=%2B15558675310'));
  const oversize = (JSON.parse((await rawRequest(`${server.url}/h/default/big`, { headers: [...json], body: Buffer.alloc(oversizeBytes, 'x') })).body.toString()) as { id: string }).id;
  const duplicate = await send(server, '', [...json, 'X-GitHub-Event', 'pull_request_review_comment', 'X-GitHub-Delivery', '72d3162e-cc78-11e3-81ab-4c9367dc0958', 'X-Hub-Signature-256', sign(GITHUB_SECRET, PUSH_BODY)], PUSH_BODY);
  const get = await send(server, '/health?verbose=1&filter={x}', [], Buffer.alloc(0), 'GET');
  return { push, gzip, binary, invalid, form, oversize, duplicate, get };
}
