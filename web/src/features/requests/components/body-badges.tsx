import type { CaptureSummary } from '../../../../../shared/capture';
import { bodyWasRefused, contentLabel } from '../utils/body-facts';

/** The body's kind at a glance: content type, content encoding (gzip…), binary, empty. */
export function BodyBadges({ capture }: { capture: CaptureSummary }) {
  if (bodyWasRefused(capture)) return <span className="badge badge--red" title={capture.reply.rejected}>not kept</span>;
  if (capture.size === 0) return <span className="badge" title="The request had no body">empty</span>;
  const preview = capture.preview;
  const type = contentLabel(capture.contentType);
  const shownType = preview?.binary && type === 'octet-stream' ? null : type; // "binary" says it
  return (
    <>
      {shownType && <span className="badge" title={`Content-Type: ${capture.contentType ?? ''}`}>{shownType}</span>}
      {preview?.encoding && <span className="badge badge--blue" title={`Content-Encoding: ${preview.encoding} (kept as sent, shown decoded)`}>{preview.encoding}</span>}
      {preview?.binary && <span className="badge badge--amber" title="Not text: see the hex view">binary</span>}
    </>
  );
}
