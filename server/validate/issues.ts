import type { ErrorObject } from 'ajv';
import type { z } from 'zod';
import type { SchemaIssue } from '../../shared/verdicts';
import { ajvSentence, zodSentence } from './issue-sentences';

const MAX_ISSUES = 50;

/** `['entry', 0, 'changes', 0, 'field']` → `entry[0].changes[0].field`; the root is `(root)`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let path = '';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else path += path === '' ? String(segment) : `.${String(segment)}`;
  }
  return path === '' ? '(root)' : path;
}

/** The issue, with the validator's own words as `detail` when the sentence says it differently. */
function issueOf(path: string, sentence: string, raw: string): SchemaIssue {
  return sentence === raw ? { path, message: sentence } : { path, message: sentence, detail: raw };
}

/** Zod issues as verdict issues (at most 50): sentences naming the field and what was expected. */
export function zodIssues(error: z.ZodError, body?: unknown): SchemaIssue[] {
  return error.issues.slice(0, MAX_ISSUES).map((issue) => {
    const path = formatPath(issue.path);
    return issueOf(path, zodSentence(issue, path, body), issue.message);
  });
}

/** Ajv errors as verdict issues: the JSON pointer becomes a path, a missing property is named in it. */
export function ajvIssues(errors: readonly ErrorObject[] | null | undefined, body?: unknown): SchemaIssue[] {
  return (errors ?? []).slice(0, MAX_ISSUES).map((error) => {
    const segments: PropertyKey[] = error.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const missing = (error.params as { missingProperty?: string }).missingProperty;
    if (error.keyword === 'required' && missing) segments.push(missing);
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
    const raw = allowed ? `${error.message ?? 'invalid'}: ${allowed.map((v) => JSON.stringify(v)).join(', ')}` : (error.message ?? 'invalid');
    const path = formatPath(segments);
    return issueOf(path, ajvSentence(error, path, segments, body), raw);
  });
}
