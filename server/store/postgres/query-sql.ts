import type { CaptureQuery, QueryTerm } from '../../../shared/query';
import { CUT, headerLine, storableText, tagIsWhole, tagOf } from './search-columns';

/**
 * The query language (shared/query.ts) as a SQL condition over the search columns of migration
 * 0003, with the semantics of shared/query-match.ts. Values only ever travel as parameters;
 * globs become LIKE patterns with `%`, `_` and `\` escaped. Each term is written so an index can
 * answer it: b-trees for fields (a literal prefix of a glob narrows them), the `tags` GIN index
 * for exact keys, the trigram index for bare words. Only rows whose columns are filled
 * (`search_version IS NOT NULL`) may be decided this way; the caller adds that.
 */
export interface SqlCondition {
  /** `(…) AND (…)`, or `TRUE` for a query without terms. */
  sql: string;
  params: unknown[];
}

/** A LIKE pattern matching `text` literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** A glob (`*` = any run of characters) as an anchored LIKE pattern. */
export function globToLike(pattern: string): string {
  return pattern.split('*').map(escapeLike).join('%');
}

type Param = (value: unknown) => string;

/**
 * A glob on a column kept cut at CUT characters (`whole` holds the value when it is longer).
 * One plain condition on the column when the cut value decides alone — an exact value shorter
 * than CUT, or `prefix*` — so the planner estimates it from the column's statistics; other
 * globs narrow by their literal prefix, then compare the whole value.
 */
function globOn(column: string, whole: string, pattern: string, p: Param): string {
  const star = pattern.indexOf('*');
  const full = `coalesce(${whole}, ${column})`;
  if (star === -1) {
    return pattern.length < CUT ? `${column} = ${p(pattern)}` : `${column} = ${p(pattern.slice(0, CUT))} AND ${full} = ${p(pattern)}`;
  }
  const prefix = pattern.slice(0, star);
  if (star === pattern.length - 1 && prefix.length <= CUT) return `${column} LIKE ${p(`${escapeLike(prefix)}%`)}`;
  const narrow = prefix === '' ? '' : `${column} LIKE ${p(`${escapeLike(prefix.slice(0, CUT))}%`)} AND `;
  return `${narrow}${full} LIKE ${p(globToLike(pattern))}`;
}

/**
 * A key of the `tags` GIN index. Alone when the key holds the whole value, so the planner
 * estimates it from the array statistics; a key cut and hashed (a value over MAX_TAG) is
 * confirmed on the row as well.
 */
function tagged(kind: 'd' | 'p' | 'h', value: string, confirm: () => string, p: Param): string {
  const key = `tags @> ARRAY[${p(tagOf(kind, value))}::text]`;
  return tagIsWhole(kind, value) ? key : `${key} AND ${confirm()}`;
}

/** A value with forms (delivery id, peer): any form matching the glob; an exact value by its key. */
function formsOn(kind: 'd' | 'p', forms: (value: string) => string, pattern: string, p: Param): string {
  if (pattern.includes('*')) return forms(p(globToLike(pattern)));
  return tagged(kind, pattern, () => forms(p(globToLike(pattern))), p);
}

/** deliveryIdForms in SQL: the stored id, or what follows its `<source>:` prefix. */
const deliveryForms = (like: string) =>
  `(delivery_id LIKE ${like} OR (strpos(delivery_id, ':') > 0 AND substr(delivery_id, strpos(delivery_id, ':') + 1) LIKE ${like}))`;

/** peerForms in SQL: the address, or the IPv4 address inside an IPv4-mapped IPv6 one. */
const peerForms = (like: string) =>
  `(peer LIKE ${like} OR (peer LIKE '::ffff:%' AND strpos(peer, '.') > 0 AND substr(peer, 8) LIKE ${like}))`;

/** One term in its own sense (negation is applied by the caller). */
function termSql(term: QueryTerm, p: Param): string {
  switch (term.field) {
    case 'text':
      return `search_text LIKE ${p(`%${escapeLike(storableText(term.value))}%`)}`;
    case 'method':
      return `method = ${p(term.value)}`;
    case 'status':
      return term.min === term.max ? `status = ${p(term.min)}` : `status BETWEEN ${p(term.min)} AND ${p(term.max)}`;
    case 'sig':
      return `sig = ${p(term.value)}`;
    case 'schema':
      return `schema_status = ${p(term.value)}`;
    case 'event':
      return globOn('event_type', 'event_type_whole', storableText(term.pattern.toLowerCase()), p);
    case 'path':
      return globOn('path', 'path_whole', storableText(term.pattern), p);
    case 'delivery':
      return formsOn('d', deliveryForms, storableText(term.pattern), p);
    case 'peer':
      return formsOn('p', peerForms, storableText(term.pattern), p);
    case 'is':
      return term.value === 'duplicate' ? 'is_duplicate' : 'is_rejected';
    case 'after':
      return `received_at >= ${p(term.at)}`;
    case 'before':
      return `received_at < ${p(term.at)}`;
    case 'header': {
      const named = () => tagged('h', term.name, () => `EXISTS (SELECT 1 FROM unnest(header_lines) AS h(line) WHERE h.line LIKE ${p(`${escapeLike(`${term.name}=`)}%`)})`, p);
      if (term.pattern === null) return named();
      if (!term.pattern.includes('*')) {
        const line = headerLine(term.name, term.pattern);
        return tagged('h', line, () => `${p(line)} = ANY (header_lines)`, p);
      }
      const like = `${escapeLike(`${term.name}=`)}${globToLike(storableText(term.pattern.toLowerCase()))}`;
      return `${named()} AND EXISTS (SELECT 1 FROM unnest(header_lines) AS h(line) WHERE h.line LIKE ${p(like)})`;
    }
  }
}

/**
 * Every term of `query` ANDed, with parameters numbered from `$firstParam`. A negated term is
 * `(…) IS NOT TRUE`, so a NULL (no event type, no delivery id) counts as "does not match" for
 * the term and as a match for its negation, as in the reference.
 */
export function queryCondition(query: CaptureQuery, firstParam: number): SqlCondition {
  const params: unknown[] = [];
  const p: Param = (value) => {
    params.push(value);
    return `$${firstParam + params.length - 1}`;
  };
  const parts = query.terms.map((term) => {
    const sql = termSql(term, p);
    return term.negated ? `(${sql}) IS NOT TRUE` : `(${sql})`;
  });
  return { sql: parts.length === 0 ? 'TRUE' : parts.join(' AND '), params };
}
