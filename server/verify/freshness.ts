/** How a signed timestamp compares with now. */
export type Freshness =
  | { ok: true; ageSec: number | null }
  | { ok: false; kind: 'unreadable'; reason: string }
  | { ok: false; kind: 'stale'; ageSec: number; toleranceSec: number; reason: string };

/** `3725` → `1 h 2 min 5 s`. */
export function humanSeconds(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  if (s < 60) return `${s} s`;
  const parts: string[] = [];
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) parts.push(`${d} d`);
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  if (s % 60 && !d) parts.push(`${s % 60} s`);
  return parts.join(' ');
}

/**
 * Checks a unix-seconds timestamp against now, both directions (a timestamp far in the future is
 * as suspect as an old one; stripe-node only checks age — signatures.md §2). Tolerance 0 disables
 * the check, which is how a user replays old captures on purpose.
 */
export function checkFreshness(header: string, value: string, toleranceSec: number, nowMs: number): Freshness {
  if (!/^\d{1,13}$/.test(value)) return { ok: false, kind: 'unreadable', reason: `${header} "${value.slice(0, 40)}" is not a unix timestamp in seconds` };
  if (value.length === 13) return { ok: false, kind: 'unreadable', reason: `${header} ${value} looks like milliseconds; the scheme signs seconds` };
  const ageSec = Math.round(nowMs / 1000 - Number(value));
  if (toleranceSec === 0 || Math.abs(ageSec) <= toleranceSec) return { ok: true, ageSec };
  const when = ageSec > 0 ? `${humanSeconds(ageSec)} old` : `${humanSeconds(ageSec)} in the future`;
  return {
    ok: false,
    kind: 'stale',
    ageSec,
    toleranceSec,
    reason: `the signed timestamp (${header}) is ${when}, outside the tolerance of ${humanSeconds(toleranceSec)}`,
  };
}

/** What a stale timestamp usually means, for the doctor's hint. */
export function staleHint(ageSec: number, toleranceSec: number): string {
  const by = humanSeconds(Math.abs(ageSec) - toleranceSec);
  if (ageSec < 0) {
    return `The timestamp is ${humanSeconds(ageSec)} ahead of Hookscope's clock (${by} beyond the tolerance): one of the two clocks is wrong — check NTP on this host.`;
  }
  return `The timestamp is ${by} beyond the tolerance: this is an old delivery sent again (a platform retry of an old event, a replay, or a captured request), or a clock is off. To accept replays of old captures on purpose, set toleranceSec to 0 or raise it.`;
}
