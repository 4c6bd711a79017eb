import type { RefObject } from 'react';
import { PauseIcon, PlayIcon, SearchIcon, TrashIcon } from '../../../components/ui/icons';
import { VERDICT_FILTERS, type CaptureFilter, type VerdictFilter } from '../utils/filters';

interface Props {
  filter: CaptureFilter;
  onFilter: (filter: CaptureFilter) => void;
  methods: readonly string[];
  eventTypes: readonly string[];
  paused: boolean;
  onTogglePause: () => void;
  onClear: () => void;
  canClear: boolean;
  searchRef: RefObject<HTMLInputElement | null>;
}

/** Search, filters, pause/resume and clear above the request list. */
export function ListToolbar({ filter, onFilter, methods, eventTypes, paused, onTogglePause, onClear, canClear, searchRef }: Props) {
  return (
    <div className="list-toolbar">
      <div className="list-toolbar__row">
        <label className="search">
          <span className="visually-hidden">Search requests</span>
          <SearchIcon className="search__icon" />
          <input ref={searchRef} className="input" type="search" placeholder="Search path, query, id, event…" value={filter.text}
            onChange={(e) => onFilter({ ...filter, text: e.target.value })}
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                if (filter.text) onFilter({ ...filter, text: '' });
                else e.currentTarget.blur();
              }
            }} />
          {!filter.text && <span className="kbd" aria-hidden="true">/</span>}
        </label>
        <button type="button" className="btn btn--small" onClick={onTogglePause} aria-pressed={paused}
          title={paused ? 'Resume live updates' : 'Pause live updates (new requests wait above the list)'}>
          {paused ? <PlayIcon /> : <PauseIcon />}{paused ? 'Resume' : 'Pause'}
        </button>
        <button type="button" className="btn btn--small" onClick={onClear} disabled={!canClear} title="Delete every request of this endpoint">
          <TrashIcon /> Clear
        </button>
      </div>
      <div className="list-toolbar__row">
        <select className="select" aria-label="Method" value={filter.method ?? ''} onChange={(e) => onFilter({ ...filter, method: e.target.value || null })}>
          <option value="">Any method</option>
          {methods.map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
        <select className="select" aria-label="Verdict" value={filter.verdict} onChange={(e) => onFilter({ ...filter, verdict: e.target.value as VerdictFilter })}>
          {VERDICT_FILTERS.map((v) => <option key={v.value} value={v.value}>{v.label}</option>)}
        </select>
        <select className="select" aria-label="Event type" value={filter.eventType ?? ''} onChange={(e) => onFilter({ ...filter, eventType: e.target.value || null })}>
          <option value="">Any event type</option>
          {eventTypes.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </div>
    </div>
  );
}
