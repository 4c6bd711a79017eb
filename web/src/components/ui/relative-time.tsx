import { formatExact, formatRelative } from '../../lib/format';

/** "5m ago", with the exact time on hover. `now` comes from one ticking clock per view. */
export function RelativeTime({ at, now }: { at: number; now: number }) {
  return <time dateTime={new Date(at).toISOString()} title={formatExact(at)}>{formatRelative(at, now)}</time>;
}
