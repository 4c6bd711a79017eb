import { CATALOGS, catalogNamed, type Catalog } from '../../shared/catalogs';
import type { CatalogName } from '../../shared/schema-config';
import type { SchemaIssue } from '../../shared/verdicts';
import { zodIssues } from './issues';

/** What checking a body against a catalog found. */
export interface CatalogCheck {
  catalog: string;
  /** The detected event; absent when the body is none of the catalog's events. */
  eventType?: string;
  issues: SchemaIssue[];
}

function issuesAgainst(catalog: Catalog, eventType: string, value: unknown): SchemaIssue[] {
  const schema = catalog.events.find((e) => e.name === eventType)?.schema ?? catalog.envelope;
  if (!schema) return [{ path: '(root)', message: `${eventType} is not an event of ${catalog.title}` }];
  const result = schema.safeParse(value);
  return result.success ? [] : zodIssues(result.error, value);
}

/** For a body a named catalog does not recognise: the event it is closest to (fewest issues). */
function closest(catalog: Catalog, value: unknown): CatalogCheck {
  let best: { name: string; issues: SchemaIssue[] } | null = null;
  for (const event of catalog.events) {
    const issues = issuesAgainst(catalog, event.name, value);
    if (!best || issues.length < best.issues.length) best = { name: event.name, issues };
  }
  const lead = { path: '(root)', message: `not recognised as any ${catalog.title} event${best ? `; closest is ${best.name}` : ''}` };
  return { catalog: catalog.name, issues: [lead, ...(best?.issues ?? [])] };
}

/**
 * Detects which catalog event a parsed body is and validates it. With `auto`, every catalog's
 * detector is asked and null means no catalog recognised it (not an error). With a named catalog,
 * an unrecognised body is invalid, and the issues are those of the closest event.
 */
export function checkCatalog(value: unknown, name: CatalogName): CatalogCheck | null {
  const candidates = name === 'auto' ? CATALOGS : [catalogNamed(name)];
  for (const catalog of candidates) {
    const eventType = catalog.detect(value);
    if (eventType) return { catalog: catalog.name, eventType, issues: issuesAgainst(catalog, eventType, value) };
  }
  return name === 'auto' ? null : closest(catalogNamed(name), value);
}
