import type { StreamStatus } from '../../lib/stream-client';

const LABEL: Record<StreamStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

const TITLE: Record<StreamStatus, string> = {
  connecting: 'Opening the live stream',
  live: 'New requests appear as they arrive',
  reconnecting: 'The live stream dropped; retrying with backoff. Nothing is lost: missed requests are fetched on reconnect.',
  offline: 'No connection to the server',
};

/** Live / reconnecting / offline state of the stream. */
export function ConnectionIndicator({ status }: { status: StreamStatus }) {
  return (
    <span className={`connection connection--${status}`} title={TITLE[status]} role="status" data-testid="connection" data-status={status}>
      <span className="connection__dot" aria-hidden="true" />
      {LABEL[status]}
    </span>
  );
}
