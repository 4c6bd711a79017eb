/** `1.2 KB`-style size; bytes below 1 KB stay exact. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

// Intl formatters are costly to create: one each, reused for every row.
const DATE = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric' });
const EXACT = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});

/** `just now`, `42s ago`, `5m ago`, `3h ago`, `2d ago`, then a date. */
export function formatRelative(at: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - at) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds}s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ago`;
  const days = Math.floor(hours / 24);
  if (days < 7) return `${days}d ago`;
  return DATE.format(at);
}

/** Exact local time with milliseconds and the UTC instant, for hovers and the overview. */
export function formatExact(at: number): string {
  const date = new Date(at);
  const local = EXACT.format(date);
  return `${local}.${String(date.getMilliseconds()).padStart(3, '0')} (${date.toISOString()})`;
}

/** Sub-path and query as the sender used them: `/orders?x=1`, or `/` for the bare endpoint. */
export function displayPath(path: string, query: string): string {
  return `${path || '/'}${query ? `?${query}` : ''}`;
}
