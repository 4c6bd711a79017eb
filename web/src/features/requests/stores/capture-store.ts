import type { CaptureList, CaptureSummary } from '../../../../../shared/capture';
import { laterId, mergeCaptures, withoutCapture } from '../utils/capture-list';

/** What the inspector holds for one endpoint. */
export interface EndpointCaptures {
  /** Newest first, each capture once. */
  readonly items: readonly CaptureSummary[];
  /** Newest capture id ever seen: the stream resumes after it. */
  readonly cursor: string | undefined;
  /** Captures the server holds (kept current from the stream). */
  readonly total: number;
  /** `before` cursor of the next older page; null once the oldest is loaded; undefined before any load. */
  readonly nextBefore: string | null | undefined;
  /** Ids that arrived live, with their arrival time (ms), for the highlight. */
  readonly fresh: ReadonlyMap<string, number>;
}

const EMPTY: EndpointCaptures = { items: [], cursor: undefined, total: 0, nextBefore: undefined, fresh: new Map() };
const FRESH_MS = 4000; // how long an arrival stays highlighted
const FLUSH_MS = 16; // stream captures are applied in batches, at most once per frame

interface Entry {
  state: EndpointCaptures;
  known: Set<string>;
  queue: CaptureSummary[];
}

/**
 * Captures of every followed endpoint, fed by REST pages and the stream and merged by id, so a
 * capture that comes both from a page and from the stream (or twice from the stream across a
 * reconnect) is shown once. An external store for `useSyncExternalStore`.
 */
export class CaptureStore {
  private entries = new Map<string, Entry>();
  private listeners = new Set<() => void>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private version = 0;

  constructor(private readonly now: () => number = Date.now) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Changes on every update: a snapshot for views that read several endpoints (counts). */
  getVersion = (): number => this.version;

  get(endpointId: string): EndpointCaptures {
    return this.entries.get(endpointId)?.state ?? EMPTY;
  }

  /** Resume point for the stream: includes captures still waiting in the batch queue. */
  cursorOf = (endpointId: string): string | undefined => this.entries.get(endpointId)?.state.cursor;

  /** Adds a page from `GET /api/endpoints/:id/requests` (the first, or an older one). */
  addPage(endpointId: string, page: CaptureList, older: boolean): void {
    const entry = this.entry(endpointId);
    const merged = mergeCaptures(entry.state.items, page.items, entry.known);
    const newestInPage = page.items[0]?.id;
    const nextBefore = older || entry.state.nextBefore === undefined ? page.nextBefore : entry.state.nextBefore;
    this.update(entry, {
      items: merged.items,
      cursor: laterId(entry.state.cursor, newestInPage),
      total: older ? Math.max(entry.state.total, merged.items.length) : Math.max(page.total, merged.items.length),
      nextBefore,
    });
  }

  /** A capture from the stream (catch-up or live); applied in the next batch. */
  receive(capture: CaptureSummary): void {
    const entry = this.entry(capture.endpointId);
    entry.queue.push(capture);
    entry.state = { ...entry.state, cursor: laterId(entry.state.cursor, capture.id) };
    this.flushTimer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  remove(endpointId: string, id: string): void {
    this.flush();
    const entry = this.entries.get(endpointId);
    if (!entry) return;
    const items = withoutCapture(entry.state.items, id, entry.known);
    if (items !== entry.state.items) this.update(entry, { items, total: Math.max(0, entry.state.total - 1) });
  }

  /** Forgets an endpoint's captures; with `upTo`, only those up to that id (newer ones arrived after the clear). */
  clear(endpointId: string, upTo?: string): void {
    this.flush();
    const entry = this.entries.get(endpointId);
    if (!entry) return;
    const items = upTo === undefined ? [] : entry.state.items.filter((capture) => capture.id > upTo);
    entry.known.clear();
    for (const capture of items) entry.known.add(capture.id);
    this.update(entry, { items, total: items.length, nextBefore: null, fresh: new Map() });
  }

  forget(endpointId: string): void {
    this.entries.delete(endpointId);
    this.emit();
  }

  /** Applies queued stream captures now. */
  flush(): void {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const at = this.now();
    for (const entry of this.entries.values()) {
      if (entry.queue.length === 0) continue;
      const merged = mergeCaptures(entry.state.items, entry.queue, entry.known);
      entry.queue = [];
      if (merged.added.length === 0) continue;
      const fresh = new Map([...entry.state.fresh].filter(([, t]) => at - t < FRESH_MS));
      for (const id of merged.added) fresh.set(id, at);
      this.update(entry, { items: merged.items, total: entry.state.total + merged.added.length, fresh }, false);
    }
    this.emit();
  }

  private entry(endpointId: string): Entry {
    let entry = this.entries.get(endpointId);
    if (!entry) {
      entry = { state: EMPTY, known: new Set(), queue: [] };
      this.entries.set(endpointId, entry);
    }
    return entry;
  }

  private update(entry: Entry, patch: Partial<EndpointCaptures>, emit = true): void {
    entry.state = { ...entry.state, ...patch };
    if (emit) this.emit();
  }

  private emit(): void {
    this.version += 1;
    for (const listener of [...this.listeners]) listener();
  }
}

/** True while a capture should still show its arrival highlight. */
export function isFresh(state: EndpointCaptures, id: string, now: number): boolean {
  const at = state.fresh.get(id);
  return at !== undefined && now - at < FRESH_MS;
}
