import type { CaptureView } from '../../../../../shared/capture';
import { SchemaBadge, SignatureBadge } from '../../../components/ui/badges';
import { SignatureFacts } from './signature-facts';

interface Props {
  capture: CaptureView;
  /** Reveal an issue's path in the body's JSON tree. */
  onShowIssue: (path: string) => void;
}

/** A sentence whose `backticked` parts (field names, commands) are shown as code; text only, never markup. */
function Sentence({ text }: { text: string }) {
  const parts = text.split('`');
  if (parts.length < 3) return <>{text}</>;
  return <>{parts.map((part, i) => (i % 2 === 1 && i < parts.length - 1 ? <code key={i}>{part}</code> : <span key={i}>{i % 2 === 1 ? `\`${part}` : part}</span>))}</>;
}

/** Why the signature and schema checks said what they said, and what to fix. */
export function VerificationPanel({ capture, onShowIssue }: Props) {
  const { signature, schema } = capture.verdicts;
  return (
    <div data-testid="verification">
      {capture.reply.rejected && (
        <section className="verdict">
          <div className="verdict__head"><span className="badge badge--red">rejected {capture.reply.status}</span><h3>Refused at ingest</h3></div>
          <p>{capture.reply.rejected}</p>
        </section>
      )}
      <section className="verdict" aria-label="Signature verdict">
        <div className="verdict__head">
          <h3>Signature</h3>
          <SignatureBadge verdict={signature} always />
          <span className="muted mono">{signature.scheme}</span>
        </div>
        <p data-testid="signature-reason">{signature.reason}</p>
        {signature.hint && <div className="verdict__hint"><strong>Hint</strong><span><Sentence text={signature.hint} /></span></div>}
        {signature.details && Object.keys(signature.details).length > 0 && <SignatureFacts details={signature.details} />}
      </section>
      <section className="verdict" aria-label="Schema verdict">
        <div className="verdict__head">
          <h3>Schema</h3>
          <SchemaBadge verdict={schema} always />
          {schema.catalog && <span className="muted">catalog {schema.catalog}</span>}
        </div>
        {schema.eventType && <p>Event type: <code>{schema.eventType}</code></p>}
        {!schema.eventType && capture.eventType && <p>Event type: <code>{capture.eventType}</code> <span className="muted">(named by the delivery; no catalog schema checked it)</span></p>}
        {schema.status === 'skipped' && <p className="muted">Schema validation is off for this endpoint.</p>}
        {schema.status === 'unknown' && <p className="muted">No event type of the catalog matched this body.</p>}
        {schema.status === 'valid' && <p>The body matches the event's schema.</p>}
        {schema.issues.length > 0 && (
          <ul className="issues">
            {schema.issues.map((issue, i) => (
              <li key={i}>
                <span className="issues__sentence"><Sentence text={issue.message} /></span>
                <span className="issues__more">
                  {issue.path !== '(root)' && issue.path !== '(schema)' && (
                    <button type="button" onClick={() => onShowIssue(issue.path)} title="Show this field in the body">{issue.path}</button>
                  )}
                  {issue.detail && (
                    <details className="issues__raw">
                      <summary>validator's words</summary>
                      <code>{issue.detail}</code>
                    </details>
                  )}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {capture.duplicateOf && (
        <section className="verdict">
          <div className="verdict__head"><span className="badge badge--amber">duplicate</span><h3>Repeated delivery</h3></div>
          <p>Delivery id <code>{capture.deliveryId}</code> was first received as <code>{capture.duplicateOf}</code>. Platforms resend when they get no 2xx in time.</p>
        </section>
      )}
    </div>
  );
}
