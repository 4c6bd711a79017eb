import { IS_FLAGS, QUERY_FIELDS, SCHEMA_STATUSES, SIGNATURE_STATUSES, type QueryField } from '../../../../../shared/query';

/** One suggestion of the search box. */
export interface QueryHint {
  /** Replaces the word under the caret (a field name ends with `:` and lets typing go on). */
  insert: string;
  /** What a person reads: the term, then what it does. */
  label: string;
  description: string;
}

/** What the inspector knows that hints may offer (from the captures it has loaded). */
export interface HintContext {
  methods: readonly string[];
  eventTypes: readonly string[];
}

/** The word being typed: where it starts and ends, and whether it is negated. */
export interface TypedWord {
  start: number;
  end: number;
  negated: boolean;
  /** The word without its `-`. */
  text: string;
}

const FIELD_HELP: Record<QueryField, string> = {
  method: 'HTTP method — method:PUT',
  status: 'the reply Hookscope gave — status:503, status:5xx',
  sig: 'signature verdict — sig:invalid',
  schema: 'schema verdict — schema:invalid',
  event: 'event type, * as wildcard — event:message.*',
  delivery: "the platform's delivery id — delivery:evt_123",
  path: 'sub-path, * as wildcard — path:/orders/*',
  peer: 'sender address — peer:10.0.0.7',
  is: 'is:duplicate or is:rejected',
  after: 'received at or after (UTC) — after:2026-11-24, after:-1h',
  before: 'received before (UTC) — before:2026-11-24T12:00',
  header: 'a header, or its value (* as wildcard) — header:x-github-event=push',
};

const VALUE_HELP: Record<string, string> = {
  'sig:valid': 'the signature checked out', 'sig:invalid': 'signed, but not with the secret', 'sig:missing': 'no signature sent',
  'sig:expired': 'signed too long ago', 'sig:skipped': 'verification off',
  'schema:valid': 'matches the event schema', 'schema:invalid': 'breaks the event schema', 'schema:unknown': 'no schema for this event',
  'schema:skipped': 'schema check off', 'is:duplicate': 'repeats an earlier delivery id', 'is:rejected': 'Hookscope refused it (401, 413, 422…)',
};

const MAX_HINTS = 8;

/** The whitespace-separated word around the caret, or null inside a quoted phrase. */
export function typedWord(text: string, caret: number): TypedWord | null {
  const quotes = (text.slice(0, caret).match(/"/g) ?? []).length;
  if (quotes % 2 === 1) return null;
  let start = caret;
  while (start > 0 && !/\s/.test(text[start - 1] as string)) start -= 1;
  let end = caret;
  while (end < text.length && !/\s/.test(text[end] as string)) end += 1;
  const raw = text.slice(start, caret);
  const negated = raw.startsWith('-');
  return { start, end, negated, text: negated ? raw.slice(1) : raw };
}

function valuesOf(field: QueryField, ctx: HintContext, now: number): [string, string][] {
  const day = new Date(now).toISOString().slice(0, 10);
  switch (field) {
    case 'sig': return SIGNATURE_STATUSES.map((v) => [v, VALUE_HELP[`sig:${v}`] ?? '']);
    case 'schema': return SCHEMA_STATUSES.map((v) => [v, VALUE_HELP[`schema:${v}`] ?? '']);
    case 'is': return IS_FLAGS.map((v) => [v, VALUE_HELP[`is:${v}`] ?? '']);
    case 'method': return [...new Set([...ctx.methods, 'POST', 'PUT', 'PATCH', 'DELETE', 'GET'])].map((m) => [m, ctx.methods.includes(m) ? 'seen here' : '']);
    case 'status': return [['2xx', 'accepted'], ['4xx', 'refused (signature, size, schema…)'], ['5xx', 'failed or configured to fail'], ['200', ''], ['401', ''], ['503', '']];
    case 'event': {
      const prefixes = [...new Set(ctx.eventTypes.filter((t) => t.includes('.')).map((t) => `${t.slice(0, t.indexOf('.'))}.*`))];
      return [...ctx.eventTypes.map((t): [string, string] => [t, 'seen here']), ...prefixes.map((p): [string, string] => [p, 'every event of that family'])];
    }
    case 'after':
    case 'before': return [['-15m', '15 minutes ago'], ['-1h', 'an hour ago'], ['-1d', 'a day ago'], ['-7d', 'a week ago'], [day, 'today, 00:00 UTC']];
    case 'header': return [['x-github-event=push', ''], ['content-type=application/json', ''], ['user-agent', 'present at all']];
    default: return [];
  }
}

/**
 * Suggestions for the word under the caret: fields (with an example each) while a field name is
 * typed or nothing is, the values a field takes once its `:` is there (event types and methods
 * seen in this endpoint), nothing inside a phrase.
 */
export function queryHints(text: string, caret: number, ctx: HintContext, now: number = Date.now()): { word: TypedWord; hints: QueryHint[] } | null {
  const word = typedWord(text, caret);
  if (!word) return null;
  const colon = word.text.indexOf(':');
  if (colon === -1) {
    const typed = word.text.toLowerCase();
    const fields = QUERY_FIELDS.filter((f) => f.startsWith(typed) && f !== typed);
    const hints = fields.map((f) => ({ insert: `${f}:`, label: `${f}:`, description: FIELD_HELP[f] }));
    if (typed === '') {
      hints.push({ insert: '"', label: '"a phrase"', description: 'words in this order, in the body, path or query' });
      hints.push({ insert: '-', label: '-term', description: 'leave out what matches the term' });
    } else if (hints.length > 0 && typed.length >= 3) {
      // It may be meant as a word to find rather than a field: say what that does.
      hints.push({ insert: word.text, label: word.text, description: 'find in body text, path and query (any case)' });
    }
    return { word, hints: hints.slice(0, typed === '' ? QUERY_FIELDS.length + 2 : MAX_HINTS) };
  }
  const field = word.text.slice(0, colon).toLowerCase() as QueryField;
  if (!QUERY_FIELDS.includes(field)) return { word, hints: [] };
  const typed = word.text.slice(colon + 1).toLowerCase();
  const hints = valuesOf(field, ctx, now)
    .filter(([value]) => value.toLowerCase().startsWith(typed) && value.toLowerCase() !== typed)
    .slice(0, MAX_HINTS)
    .map(([value, description]) => ({ insert: `${field}:${value}`, label: `${field}:${value}`, description }));
  return { word, hints };
}

/** The text with the typed word replaced by a hint, and where the caret goes. */
export function applyHint(text: string, word: TypedWord, hint: QueryHint): { text: string; caret: number } {
  const open = hint.insert.endsWith(':') || hint.insert === '"' || hint.insert === '-';
  const inserted = `${word.negated && hint.insert !== '-' ? '-' : ''}${hint.insert}${open ? '' : ' '}`;
  const after = text.slice(word.end).replace(/^\s+/, '');
  const next = `${text.slice(0, word.start)}${inserted}${after}`;
  return { text: next, caret: word.start + inserted.length };
}
