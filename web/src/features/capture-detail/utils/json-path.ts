/** Segments of a path into a JSON value: object keys and array indices, as strings. */
export type JsonPath = readonly string[];

/**
 * Parses a schema issue's path in any of the usual spellings: `a.b[0].c`, `a.b.0.c`, or a JSON
 * Pointer `/a/b/0/c` (RFC 6901: `~1` is `/`, `~0` is `~`). `''`, `/` and `$` mean the root.
 */
export function parseIssuePath(path: string): JsonPath {
  const trimmed = path.trim().replace(/^\$\.?/, '');
  if (trimmed === '' || trimmed === '/') return [];
  if (trimmed.startsWith('/')) return trimmed.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const segments: string[] = [];
  for (const part of trimmed.split('.')) {
    const re = /([^[\]]+)|\[(\d+|"[^"]*"|'[^']*')\]/g;
    let match: RegExpExecArray | null;
    while ((match = re.exec(part)) !== null) {
      const raw = match[1] ?? match[2] ?? '';
      segments.push(raw.replace(/^["']|["']$/g, ''));
    }
  }
  return segments;
}

/** A stable string key for a path (keys may contain dots). */
export function pathKey(path: JsonPath): string {
  return JSON.stringify(path);
}

function child(value: unknown, segment: string): { found: boolean; value: unknown } {
  if (Array.isArray(value)) {
    const index = Number(segment);
    return Number.isInteger(index) && index >= 0 && index < value.length ? { found: true, value: value[index] } : { found: false, value: undefined };
  }
  if (value !== null && typeof value === 'object' && Object.hasOwn(value, segment)) {
    return { found: true, value: (value as Record<string, unknown>)[segment] };
  }
  return { found: false, value: undefined };
}

/** The longest prefix of `path` that exists in `value` (a missing field is shown on its parent). */
export function existingPrefix(value: unknown, path: JsonPath): JsonPath {
  let current = value;
  for (let i = 0; i < path.length; i += 1) {
    const next = child(current, path[i] as string);
    if (!next.found) return path.slice(0, i);
    current = next.value;
  }
  return path;
}

export interface PlacedIssue {
  message: string;
  /** The path as the validator wrote it. */
  path: string;
}

/** Issues keyed by the node that shows them (the deepest existing node on each path). */
export function placeIssues(value: unknown, issues: ReadonlyArray<{ path: string; message: string }>): Map<string, PlacedIssue[]> {
  const placed = new Map<string, PlacedIssue[]>();
  for (const issue of issues) {
    const path = parseIssuePath(issue.path);
    const at = existingPrefix(value, path);
    const missing = path.slice(at.length).join('.');
    const message = missing ? `${missing}: ${issue.message}` : issue.message;
    const key = pathKey(at);
    placed.set(key, [...(placed.get(key) ?? []), { message, path: issue.path }]);
  }
  return placed;
}

/** Keys of every ancestor of the placed issues (to expand them), the nodes themselves included. */
export function issueAncestors(placed: Map<string, PlacedIssue[]>): Set<string> {
  const keys = new Set<string>();
  for (const key of placed.keys()) {
    const path = JSON.parse(key) as string[];
    for (let i = 0; i <= path.length; i += 1) keys.add(pathKey(path.slice(0, i)));
  }
  return keys;
}
