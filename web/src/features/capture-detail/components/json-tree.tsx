import { useEffect, useMemo, useRef, useState } from 'react';
import { countNodes } from '../utils/json-count';
import { issueAncestors, pathKey, placeIssues, type JsonPath, type PlacedIssue } from '../utils/json-path';

const AUTO_EXPAND_DEPTH = 3; // for large documents; small ones open fully
const SMALL_DOCUMENT = 400; // nodes

const CHILD_PAGE = 200; // children shown before "show more"

interface Props {
  value: unknown;
  issues: ReadonlyArray<{ path: string; message: string }>;
  /** Path (as the issue wrote it) to scroll to and flash. */
  focus: string | null;
}

interface Context {
  placed: Map<string, PlacedIssue[]>;
  expandFirst: Set<string>;
  expandDepth: number;
}

/** Collapsible JSON; schema issues are marked on the node they concern and its ancestors open. */
export function JsonTree({ value, issues, focus }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const context = useMemo<Context>(() => {
    const placed = placeIssues(value, issues);
    const expandDepth = countNodes(value, SMALL_DOCUMENT) < SMALL_DOCUMENT ? Infinity : AUTO_EXPAND_DEPTH;
    return { placed, expandFirst: issueAncestors(placed), expandDepth };
  }, [value, issues]);

  useEffect(() => {
    if (!focus) return;
    const key = [...context.placed].find(([, list]) => list.some((i) => i.path === focus))?.[0];
    const node = key === undefined ? null : ref.current?.querySelector<HTMLElement>(`[data-path="${CSS.escape(key)}"]`);
    node?.scrollIntoView({ block: 'center' });
  }, [focus, context]);

  return (
    <div ref={ref} className="json-tree" data-testid="json-tree">
      <ul><Node name={null} value={value} path={[]} depth={0} context={context} last /></ul>
    </div>
  );
}

interface NodeProps {
  name: string | number | null;
  value: unknown;
  path: JsonPath;
  depth: number;
  context: Context;
  last: boolean;
}

function Node({ name, value, path, depth, context, last }: NodeProps) {
  const key = pathKey(path);
  const issues = context.placed.get(key);
  const container = value !== null && typeof value === 'object';
  const [open, setOpen] = useState(() => depth < context.expandDepth || context.expandFirst.has(key));
  const [limit, setLimit] = useState(CHILD_PAGE);
  const label = name === null ? null : typeof name === 'number' ? <span className="json-summary">{name}: </span> : <><span className="json-key">{JSON.stringify(name)}</span>: </>;
  const line = `json-line ${issues ? 'json-line--issue' : ''}`;
  const issueText = issues && <span className="json-issue" role="note">⚠ {issues.map((i) => i.message).join('; ')}</span>;
  const comma = last ? '' : ',';

  if (!container) {
    return (
      <li className="json-node">
        <span className={line} data-path={key}><span className="json-toggle" />{label}<Scalar value={value} />{comma}</span>{issueText}
      </li>
    );
  }
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value as object);
  const [openBrace, closeBrace] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  const count = `${entries.length} ${Array.isArray(value) ? (entries.length === 1 ? 'item' : 'items') : entries.length === 1 ? 'key' : 'keys'}`;
  return (
    <li className="json-node">
      <span className={line} data-path={key}>
        <button type="button" className="json-toggle" aria-expanded={open} aria-label={open ? 'Collapse' : 'Expand'} onClick={() => setOpen(!open)}>
          {open ? '▾' : '▸'}
        </button>
        {label}{openBrace}
        {!open && <><span className="json-summary"> {count} </span>{closeBrace}{comma}</>}
        {open && entries.length === 0 && <>{closeBrace}{comma}</>}
      </span>
      {issueText}
      {open && entries.length > 0 && (
        <>
          <ul>
            {entries.slice(0, limit).map(([k, v], i) => (
              <Node key={String(k)} name={k} value={v} path={[...path, String(k)]} depth={depth + 1} context={context}
                last={i === entries.length - 1} />
            ))}
            {entries.length > limit && (
              <li><button type="button" className="btn btn--small btn--ghost" onClick={() => setLimit(limit + CHILD_PAGE * 5)}>
                Show {Math.min(CHILD_PAGE * 5, entries.length - limit)} more of {entries.length - limit}
              </button></li>
            )}
          </ul>
          <span><span className="json-toggle" />{closeBrace}{comma}</span>
        </>
      )}
    </li>
  );
}

function Scalar({ value }: { value: unknown }) {
  if (typeof value === 'string') return <span className="json-string">{JSON.stringify(value)}</span>;
  if (typeof value === 'number') return <span className="json-number">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="json-bool">{String(value)}</span>;
  return <span className="json-null">null</span>;
}
