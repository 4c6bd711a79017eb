import type { CaptureReply } from '../../shared/capture';
import type { Endpoint } from '../../shared/endpoint';
import type { Verdicts } from '../../shared/verdicts';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Accept, or refuse with 401 / 422 when the endpoint enforces a check the delivery failed. */
export function decideReply(endpoint: Endpoint, verdicts: Verdicts): CaptureReply {
  const signature = verdicts.signature;
  if (endpoint.verify.mode === 'enforce' && signature.status !== 'valid' && signature.status !== 'skipped') {
    return { status: 401, rejected: `signature ${signature.status}: ${signature.reason}` };
  }
  if (endpoint.schema.mode === 'enforce' && verdicts.schema.status === 'invalid') {
    return { status: 422, rejected: `payload does not match the ${verdicts.schema.eventType ?? 'expected'} schema` };
  }
  return { status: endpoint.response.status };
}

/** The HTTP answer for a stored capture. */
export function buildReply(endpoint: Endpoint, captureId: string, reply: CaptureReply, verdicts: Verdicts): Reply {
  if (reply.rejected !== undefined) {
    const body: Record<string, unknown> = { error: reply.rejected, id: captureId };
    if (reply.status === 401) body.verdict = { status: verdicts.signature.status, scheme: verdicts.signature.scheme, reason: verdicts.signature.reason };
    if (reply.status === 422) body.issues = verdicts.schema.issues;
    return { status: reply.status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
  }
  const configured = endpoint.response;
  if (configured.body === undefined) {
    return {
      status: reply.status,
      headers: { 'content-type': 'application/json; charset=utf-8', ...configured.headers },
      body: JSON.stringify({ ok: true, id: captureId }),
    };
  }
  const hasType = Object.keys(configured.headers).some((name) => name.toLowerCase() === 'content-type');
  return {
    status: reply.status,
    headers: hasType ? configured.headers : { 'content-type': guessType(configured.body), ...configured.headers },
    body: configured.body,
  };
}

function guessType(body: string): string {
  try {
    JSON.parse(body);
    return 'application/json; charset=utf-8';
  } catch {
    return 'text/plain; charset=utf-8';
  }
}
