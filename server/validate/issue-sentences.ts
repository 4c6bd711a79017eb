import type { ErrorObject } from 'ajv';
import type { z } from 'zod';

/** A path segment list as the validators give it. */
type Segments = readonly PropertyKey[];

/** `a.b[0].c` in backticks, or "the body" for the root. */
export function fieldName(path: string): string {
  return path === '(root)' || path === '' ? 'the body' : `\`${path}\``;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string', number: 'a number', int: 'a whole number', integer: 'a whole number', boolean: 'true or false',
  array: 'a list', object: 'an object', null: 'null', date: 'a date', bigint: 'a number', tuple: 'a list', record: 'an object',
};

/** "a string", "a whole number"… for a validator's type name. */
export function typeWords(type: string): string {
  return TYPE_WORDS[type] ?? type;
}

/** The value at a path, and whether its last key exists in its parent (a missing field vs a wrong one). */
export function lookup(root: unknown, segments: Segments): { found: boolean; value: unknown } {
  let current = root;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment as string)) return { found: false, value: undefined };
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return { found: true, value: current };
}

/** A value as a person reads it in a sentence: `"sent"`, `42`, `null`, `an object`, `a list of 3`. */
export function shown(value: unknown): string {
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value !== null && typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function oneOf(values: readonly unknown[]): string {
  const listed = values.slice(0, 8).map((v) => JSON.stringify(v)).join(', ');
  if (values.length === 1) return listed;
  return `one of ${listed}${values.length > 8 ? `, … (${values.length} in all)` : ''}`;
}

function bound(origin: string, limit: number | bigint, small: boolean, inclusive: boolean, exact: boolean): string {
  const n = Number(limit);
  if (origin === 'string') return `${exact ? 'exactly' : small ? 'at least' : 'at most'} ${n} character${n === 1 ? '' : 's'} long`;
  if (origin === 'array' || origin === 'set') return `${exact ? 'exactly' : small ? 'at least' : 'at most'} ${n} item${n === 1 ? '' : 's'}`;
  if (exact) return `exactly ${n}`;
  return `${small ? (inclusive ? 'at least' : 'more than') : inclusive ? 'at most' : 'less than'} ${n}`;
}

/** What a union's branches wanted, when each says it simply; null otherwise. */
function unionWants(branches: readonly (readonly z.core.$ZodIssue[])[]): string | null {
  const wants: string[] = [];
  for (const issues of branches) {
    const first = issues[0];
    if (!first || issues.length !== 1 || first.path.length > 0) return null;
    if (first.code === 'invalid_type') wants.push(typeWords(first.expected));
    else if (first.code === 'invalid_value') wants.push(oneOf(first.values));
    else if (first.code === 'invalid_format' && /^expected /.test(first.message)) wants.push(first.message.slice('expected '.length));
    else return null;
  }
  return [...new Set(wants)].join(' or ');
}

/** One zod issue as a sentence naming the field and what was expected. `body` is the parsed value checked. */
export function zodSentence(issue: z.core.$ZodIssue, path: string, body: unknown): string {
  const field = fieldName(path);
  const at = lookup(body, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      if (!at.found && path !== '(root)') return `required field ${field} is missing`;
      return `${field} should be ${typeWords(issue.expected)}, but it is ${shown(at.value)}`;
    case 'invalid_value':
      return `${field} should be ${oneOf(issue.values)}, but it is ${shown(at.value)}`;
    case 'invalid_format':
      if (/^expected /.test(issue.message)) return `${field} is ${shown(at.value)}; ${issue.message}`;
      if (issue.format === 'regex') return `${field} is ${shown(at.value)}, which does not match the pattern ${issue.pattern ?? ''}`.trim();
      return `${field} should be a valid ${issue.format}, but it is ${shown(at.value)}`;
    case 'too_small':
      return `${field} should be ${bound(issue.origin, issue.minimum, true, issue.inclusive ?? true, issue.exact ?? false)}`;
    case 'too_big':
      return `${field} should be ${bound(issue.origin, issue.maximum, false, issue.inclusive ?? true, issue.exact ?? false)}`;
    case 'unrecognized_keys':
      return `unexpected field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `\`${k}\``).join(', ')} in ${field}`;
    case 'invalid_union': {
      if (!at.found && path !== '(root)') return `required field ${field} is missing`;
      const wants = unionWants(issue.errors);
      return wants ? `${field} should be ${wants}, but it is ${shown(at.value)}` : `${field} (${shown(at.value)}) matches none of the forms this event allows`;
    }
    default:
      return issue.message; // custom checks are written as sentences already
  }
}

/** One Ajv error as a sentence; `segments` is the instance path (the missing property included). */
export function ajvSentence(error: ErrorObject, path: string, segments: Segments, body: unknown): string {
  const field = fieldName(path);
  const value = lookup(body, segments).value;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `required field ${field} is missing`;
    case 'type': {
      const types = ([] as string[]).concat(params.type as string | string[]);
      return `${field} should be ${types.map(typeWords).join(' or ')}, but it is ${shown(value)}`;
    }
    case 'enum':
      return `${field} should be ${oneOf(params.allowedValues as unknown[])}, but it is ${shown(value)}`;
    case 'const':
      return `${field} should be ${JSON.stringify(params.allowedValue)}, but it is ${shown(value)}`;
    case 'pattern':
      return `${field} is ${shown(value)}, which does not match the pattern ${String(params.pattern)}`;
    case 'format':
      return `${field} should be a valid ${String(params.format)}, but it is ${shown(value)}`;
    case 'minimum': case 'exclusiveMinimum': case 'maximum': case 'exclusiveMaximum': {
      const small = error.keyword.toLowerCase().includes('minimum');
      return `${field} should be ${bound('number', params.limit as number, small, !error.keyword.startsWith('exclusive'), false)}, but it is ${shown(value)}`;
    }
    case 'minLength': case 'maxLength':
      return `${field} should be ${bound('string', params.limit as number, error.keyword === 'minLength', true, false)}`;
    case 'minItems': case 'maxItems':
      return `${field} should have ${bound('array', params.limit as number, error.keyword === 'minItems', true, false)}`;
    case 'additionalProperties':
      return `unexpected field \`${String(params.additionalProperty)}\` in ${field}`;
    default:
      return `${field} ${error.message ?? 'is invalid'}`;
  }
}
