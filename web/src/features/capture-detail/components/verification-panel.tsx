import type { CaptureView } from '../../../../../shared/capture';
import { SchemaBadge, SignatureBadge } from '../../../components/ui/badges';

interface Props {
  capture: CaptureView;
  /** Reveal an issue's path in the body's JSON tree. */
  onShowIssue: (path: string) => void;
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
        {signature.hint && <div className="verdict__hint"><strong>Hint</strong><span>{signature.hint}</span></div>}
        {signature.details && Object.keys(signature.details).length > 0 && (
          <table className="kv" aria-label="Signature details" style={{ marginTop: 8 }}>
            <tbody>
              {Object.entries(signature.details).map(([key, value]) => (
                <tr key={key}><th scope="row">{key}</th><td>{typeof value === 'string' ? value : JSON.stringify(value, null, 1)}</td></tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="verdict" aria-label="Schema verdict">
        <div className="verdict__head">
          <h3>Schema</h3>
          <SchemaBadge verdict={schema} always />
          {schema.catalog && <span className="muted">catalog {schema.catalog}</span>}
        </div>
        {schema.eventType && <p>Event type: <code>{schema.eventType}</code></p>}
        {schema.status === 'skipped' && <p className="muted">Schema validation is off for this endpoint.</p>}
        {schema.status === 'unknown' && <p className="muted">No event type of the catalog matched this body.</p>}
        {schema.status === 'valid' && <p>The body matches the event's schema.</p>}
        {schema.issues.length > 0 && (
          <ul className="issues">
            {schema.issues.map((issue, i) => (
              <li key={i}>
                <button type="button" onClick={() => onShowIssue(issue.path)} title="Show in body">{issue.path || '(root)'}</button>
                <span>{issue.message}</span>
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
