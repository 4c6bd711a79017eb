import type { CaptureSummary } from '../../../../shared/capture';
import type { SchemaVerdict, SignatureVerdict } from '../../../../shared/verdicts';

const KNOWN_METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

export function MethodLabel({ method }: { method: string }) {
  return <span className={`method ${KNOWN_METHODS.has(method) ? `method--${method}` : ''}`}>{method}</span>;
}

export function StatusCode({ status }: { status: number }) {
  if (status === 0) return <span className="status--0" title="No answer: a response rule dropped or held the connection">no answer</span>;
  return <span className={`status--${String(status)[0]}`}>{status}</span>;
}

const SIGNATURE_TONE: Record<SignatureVerdict['status'], string> = {
  valid: 'green', invalid: 'red', missing: 'red', expired: 'amber', skipped: '',
};

/** Signature verdict; nothing when verification is off. */
export function SignatureBadge({ verdict, always = false }: { verdict: SignatureVerdict; always?: boolean }) {
  if (verdict.status === 'skipped' && !always) return null;
  const label = verdict.status === 'valid' ? 'signed' : verdict.status === 'skipped' ? 'not checked' : `sig ${verdict.status}`;
  return <span className={`badge badge--${SIGNATURE_TONE[verdict.status]}`} title={`Signature (${verdict.scheme}): ${verdict.reason}`}>{label}</span>;
}

const SCHEMA_TONE: Record<SchemaVerdict['status'], string> = { valid: 'green', invalid: 'red', unknown: 'amber', skipped: '' };

/** Schema verdict; nothing when validation is off. */
export function SchemaBadge({ verdict, always = false }: { verdict: SchemaVerdict; always?: boolean }) {
  if (verdict.status === 'skipped' && !always) return null;
  const count = verdict.issues.length;
  const label = verdict.status === 'invalid' ? `schema ${count} issue${count === 1 ? '' : 's'}` : verdict.status === 'valid' ? 'schema ok' : `schema ${verdict.status}`;
  return <span className={`badge badge--${SCHEMA_TONE[verdict.status]}`} title={`Schema${verdict.catalog ? ` (${verdict.catalog})` : ''}: ${verdict.status}`}>{label}</span>;
}

export function EventTypeBadge({ eventType }: { eventType: string | undefined }) {
  if (!eventType) return null;
  return <span className="badge badge--violet badge--event" title={`Event type: ${eventType}`}>{eventType}</span>;
}

export function DuplicateBadge({ capture }: { capture: CaptureSummary }) {
  if (!capture.duplicateOf) return null;
  return <span className="badge badge--amber" title={`Repeats delivery ${capture.deliveryId ?? ''} first seen as ${capture.duplicateOf}`}>duplicate</span>;
}

export function RejectedBadge({ capture }: { capture: CaptureSummary }) {
  if (!capture.reply.rejected) return null;
  return <span className="badge badge--red" title={capture.reply.rejected}>rejected</span>;
}
