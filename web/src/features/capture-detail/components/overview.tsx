import type { CaptureView } from '../../../../../shared/capture';
import { StatusCode } from '../../../components/ui/badges';
import { formatBytes, formatExact } from '../../../lib/format';

/** Time, peer, size, content type and our reply, at a glance. */
export function Overview({ capture }: { capture: CaptureView }) {
  const exact = formatExact(capture.receivedAt);
  return (
    <dl className="overview">
      <div><dt>Received</dt><dd title={exact}>{new Date(capture.receivedAt).toLocaleString(undefined, { hour12: false })}</dd></div>
      <div><dt>From</dt><dd className="mono" title={capture.peer}>{capture.peer}</dd></div>
      <div><dt>Size</dt><dd title={`${capture.size.toLocaleString()} bytes`}>{formatBytes(capture.size)}</dd></div>
      <div><dt>Content type</dt><dd className="mono" title={capture.contentType ?? ''}>{capture.contentType ?? '—'}</dd></div>
      <div><dt>Reply</dt><dd className="mono"><StatusCode status={capture.reply.status} />{capture.reply.rejected ? ' rejected' : ''}</dd></div>
      {capture.deliveryId && <div><dt>Delivery id</dt><dd className="mono" title={capture.deliveryId}>{capture.deliveryId}</dd></div>}
    </dl>
  );
}
