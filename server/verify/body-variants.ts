/** A body as someone between the platform and Hookscope may have changed it. */
export interface BodyVariant {
  cause: 'body-reserialized' | 'trailing-newline';
  /** Short name, e.g. `compact`, `pretty`, `sorted-keys`, `escaped-slashes`, `newline-added`. */
  variant: string;
  /** What the sender signed, in words. */
  description: string;
  body: Buffer;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
}

/** Python's `json.dumps` default separators (`, ` and `: `), a common re-serializer. */
function spacedJson(value: unknown): string {
  return JSON.stringify(value, null, 1).replace(/\n\s*/g, ' ').replace(/\[ /g, '[').replace(/ \]/g, ']').replace(/\{ /g, '{').replace(/ \}/g, '}');
}

/** Non-ASCII as lowercase `\uXXXX`, as Meta signs it ("an escaped unicode version of the payload"). */
function escapeUnicode(text: string): string {
  return text.replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function escapeSlashes(text: string): string {
  return text.replace(/(?<!\\)\//g, '\\/');
}

function unescapeUnicode(text: string): string {
  return text.replace(/\\u([0-9a-fA-F]{4})/g, (_all, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function jsonVariants(text: string): [string, string, string][] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  if (value === null || typeof value !== 'object') return [];
  return [
    ['compact', JSON.stringify(value), 'the JSON compact (no whitespace)'],
    ['pretty', JSON.stringify(value, null, 2), 'the JSON pretty-printed (2-space indent)'],
    ['pretty-4', JSON.stringify(value, null, 4), 'the JSON pretty-printed (4-space indent)'],
    ['spaced', spacedJson(value), 'the JSON with ", " and ": " separators (Python json.dumps style)'],
    ['sorted-keys', JSON.stringify(sortKeys(value)), 'the JSON with its keys in a different order (sorted)'],
    ['escaped-slashes', escapeSlashes(text), 'the JSON with "/" escaped as "\\/"'],
    ['unescaped-slashes', text.replace(/\\\//g, '/'), 'the JSON with "\\/" written as a plain "/"'],
    ['escaped-unicode', escapeUnicode(text), 'the JSON with non-ASCII characters escaped as \\uXXXX'],
    ['unescaped-unicode', unescapeUnicode(text), 'the JSON with \\uXXXX escapes written as the characters themselves'],
    ['compact-escaped-unicode', escapeUnicode(JSON.stringify(value)), 'compact JSON with non-ASCII characters escaped as \\uXXXX'],
    ['escaped-unicode-and-slashes', escapeUnicode(escapeSlashes(text)), 'the JSON with non-ASCII characters escaped as \\uXXXX and "/" as "\\/" (as Meta sends it)'],
    ['unescaped-unicode-and-slashes', unescapeUnicode(text.replace(/\\\//g, '/')), 'the JSON with \\uXXXX and "\\/" escapes written out as plain characters'],
  ];
}

function newlineVariants(body: Buffer): BodyVariant[] {
  const variants: BodyVariant[] = [
    { cause: 'trailing-newline', variant: 'newline-added', description: 'the body followed by a newline ("\\n")', body: Buffer.concat([body, Buffer.from('\n')]) },
    { cause: 'trailing-newline', variant: 'crlf-added', description: 'the body followed by "\\r\\n"', body: Buffer.concat([body, Buffer.from('\r\n')]) },
  ];
  const text = body.toString('latin1');
  const stripped = text.replace(/(?:\r?\n)+$/, '');
  if (stripped.length !== text.length) {
    variants.unshift({ cause: 'trailing-newline', variant: 'newline-removed', description: 'the body without its trailing newline', body: body.subarray(0, stripped.length) });
  }
  return variants;
}

/**
 * The usual ways a body changes between the signer and the receiver (signatures.md §4.1): trailing
 * newline added or removed; JSON re-serialized (compact, pretty, key order, escaped slashes,
 * escaped unicode). Only variants that differ from the body are returned.
 */
export function bodyVariants(body: Buffer): BodyVariant[] {
  const variants = newlineVariants(body);
  const text = body.toString('utf8');
  for (const [variant, json, description] of jsonVariants(text)) {
    if (json === text) continue;
    variants.push({ cause: 'body-reserialized', variant, description, body: Buffer.from(json, 'utf8') });
  }
  const seen = new Set<string>([body.toString('base64')]);
  return variants.filter((v) => {
    const key = v.body.toString('base64');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
