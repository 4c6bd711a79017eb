import type { ErrorObject } from 'ajv';
import type { z } from 'zod';
import type { SchemaIssue } from '../../shared/verdicts';

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

/** Zod issues as verdict issues (at most 50). */
export function zodIssues(error: z.ZodError): SchemaIssue[] {
  return error.issues.slice(0, MAX_ISSUES).map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

/** Ajv errors as verdict issues: the JSON pointer becomes a path, a missing property is named in it. */
export function ajvIssues(errors: readonly ErrorObject[] | null | undefined): SchemaIssue[] {
  return (errors ?? []).slice(0, MAX_ISSUES).map((error) => {
    const segments: PropertyKey[] = error.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const missing = (error.params as { missingProperty?: string }).missingProperty;
    if (error.keyword === 'required' && missing) segments.push(missing);
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
    const message = allowed ? `${error.message ?? 'invalid'}: ${allowed.map((v) => JSON.stringify(v)).join(', ')}` : (error.message ?? 'invalid');
    return { path: formatPath(segments), message };
  });
}
