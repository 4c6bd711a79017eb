import { useMemo, type RefObject } from 'react';
import { PauseIcon, PlayIcon, TrashIcon } from '../../../components/ui/icons';
import type { QueryProblem } from '../hooks/use-search';
import {
  quickFiltersOf, STATUS_FILTERS, VERDICT_FILTERS, withEventType, withMethod, withStatus, withVerdict, type VerdictFilter,
} from '../utils/filters';
import { QueryProblemLine, SearchBox } from './search-box';

interface Props {
  /** The search as typed (the query language). */
  query: string;
  onQuery: (query: string) => void;
  problem: QueryProblem | null;
  methods: readonly string[];
  eventTypes: readonly string[];
  paused: boolean;
  onTogglePause: () => void;
  onClear: () => void;
  canClear: boolean;
  searchRef: RefObject<HTMLInputElement | null>;
}

/** Search, quick filters (which write query terms), pause/resume and clear above the request list. */
export function ListToolbar({ query, onQuery, problem, methods, eventTypes, paused, onTogglePause, onClear, canClear, searchRef }: Props) {
  const quick = useMemo(() => quickFiltersOf(query), [query]);
  const context = useMemo(() => ({ methods, eventTypes }), [methods, eventTypes]);
  // A value the box holds that the menu does not list yet (typed, or from a shared link).
  const withCurrent = (list: readonly string[], current: string | null) => (current && !list.includes(current) ? [...list, current] : list);
  return (
    <div className="list-toolbar">
      <div className="list-toolbar__row">
        <SearchBox value={query} onChange={onQuery} problem={problem} context={context} inputRef={searchRef} />
        <button type="button" className="btn btn--small" onClick={onTogglePause} aria-pressed={paused}
          title={paused ? 'Resume live updates' : 'Pause live updates (new requests wait above the list)'}>
          {paused ? <PlayIcon /> : <PauseIcon />}<span className="toolbar-label">{paused ? 'Resume' : 'Pause'}</span>
        </button>
        <button type="button" className="btn btn--small" onClick={onClear} disabled={!canClear} title="Delete every request of this endpoint" aria-label="Clear">
          <TrashIcon /><span className="toolbar-label">Clear</span>
        </button>
      </div>
      {problem && <QueryProblemLine problem={problem} />}
      <div className="list-toolbar__row list-toolbar__filters">
        <select className="select" aria-label="Method" value={quick.method ?? ''} onChange={(e) => onQuery(withMethod(query, e.target.value || null))}>
          <option value="">Method</option>
          {withCurrent(methods, quick.method).map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
        <select className="select" aria-label="Status" value={quick.status ?? ''} onChange={(e) => onQuery(withStatus(query, e.target.value || null))}>
          {withCurrent(STATUS_FILTERS.map((s) => s.value), quick.status).map((s) => <option key={s} value={s}>{s === '' ? 'Status' : s}</option>)}
        </select>
        <select className="select" aria-label="Verdict" value={quick.verdict} onChange={(e) => onQuery(withVerdict(query, e.target.value as VerdictFilter))}>
          {VERDICT_FILTERS.map((v) => <option key={v.value} value={v.value}>{v.label}</option>)}
        </select>
        <select className="select" aria-label="Event type" value={quick.eventType ?? ''} onChange={(e) => onQuery(withEventType(query, e.target.value || null))}>
          <option value="">Event type</option>
          {withCurrent(eventTypes, quick.eventType).map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </div>
    </div>
  );
}
