import { formatExact, formatRelative } from '../../lib/format';

/**
 * "5m ago", with the exact time on hover. `now` comes from one ticking clock per view. The
 * exact time is formatted on first hover only: list rows render many times while scrolling.
 */
export function RelativeTime({ at, now }: { at: number; now: number }) {
  return (
    <time dateTime={String(at)} onMouseEnter={(e) => { if (!e.currentTarget.title) e.currentTarget.title = formatExact(at); }}>
      {formatRelative(at, now)}
    </time>
  );
}
