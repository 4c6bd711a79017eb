// The query language as SQL: values travel only as parameters, globs become escaped LIKE patterns.
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../../shared/query';
import { escapeLike, globToLike, queryCondition } from '../../../server/store/postgres/query-sql';

describe('query terms as SQL', () => {
  it('never puts a value in the SQL text, whatever it holds', () => {
    const hostile = `x'); DROP TABLE captures; --`;
    const q = `"${hostile}" path:/${encodeURIComponent(hostile)} delivery:'$1' header:x-a='b' event:"${hostile}*" peer:';--`;
    const { sql, params } = queryCondition(parseQuery(q), 4);
    expect(sql).not.toMatch(/DROP|'\$1'|x-a|';--/);
    expect(sql).toMatch(/^\(search_text LIKE \$4\) AND /);
    expect(params).toContain(`%${escapeLike(hostile.toLowerCase())}%`);
    expect(Math.max(...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])))).toBe(3 + params.length);
  });

  it('turns globs into anchored LIKE patterns with %, _ and \\ escaped', () => {
    expect(escapeLike('50%_a\\b')).toBe('50\\%\\_a\\\\b');
    expect(globToLike('/orders/*/items_%')).toBe('/orders/%/items\\_\\%');
    expect(globToLike('*')).toBe('%');
  });

  it('decides exact field values by equality and narrows globs by their literal prefix', () => {
    const { sql, params } = queryCondition(parseQuery('event:Message.* path:/a method:put status:5xx -is:duplicate after:-1h path:/o*/x_1'), 1);
    expect(sql).toContain('(event_type LIKE $1)'); // prefix* is decided on the column alone
    expect(params[0]).toBe('message.%'); // event globs compare lower-cased
    expect(sql).toContain('(path = $2)');
    expect(sql).toContain('(method = $3)');
    expect(params[2]).toBe('PUT');
    expect(sql).toContain('(status BETWEEN $4 AND $5)');
    expect(sql).toContain('(is_duplicate) IS NOT TRUE'); // a NULL counts as "not", as in the reference
    expect(sql).toContain('(received_at >= $6)');
    expect(sql).toContain('(path LIKE $7 AND coalesce(path_whole, path) LIKE $8)');
    expect(params.slice(6)).toEqual(['/o%', '/o%/x\\_1']);
  });

  it('matches everything without terms', () => {
    expect(queryCondition(parseQuery(''), 4)).toEqual({ sql: 'TRUE', params: [] });
  });
});
