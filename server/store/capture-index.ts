import type { ReplayAttempt } from '../../shared/capture';
import type { CompactIndex } from './record-format';
import { CompactIndexReader } from './compact-index-reader';
import { EntryList } from './entry-list';

/**
 * What memory holds of one retained capture (about 250 bytes of heap with its map entries):
 * where it is on disk and the fields field-queries decide on. Strings that repeat (methods,
 * event types, peers, paths) are interned; numbers are kept small enough to stay unboxed
 * (receivedAt as seconds from 2017 plus its milliseconds packed with the verdicts and flags).
 * Summaries are read from disk when a page is served.
 */
export interface Entry {
  id: string;
  segment: number;
  offset: number; // bytes: its metadata record
  metaLength: number; // bytes, newline excluded
  length: number; // bytes from the metadata record to the end of the body
  /** receivedAt: whole seconds since AT_BASE_SEC (ms in `marks`), or NaN when it needs `exactAt`. */
  atSec: number;
  method: string;
  status: number;
  /** ms of receivedAt (10 bits) | signature status << 10 (3 bits) | schema status << 13 (3 bits) | flags << 16. */
  marks: number;
  eventType: string | null;
  deliveryId: string | null;
  path: string;
  peer: string;
}

const AT_BASE_SEC = 1_500_000_000; // 2017-07-14: seconds since then fit a small integer until 2085
const SIGNATURES = ['valid', 'invalid', 'missing', 'expired', 'skipped'];
const SCHEMAS = ['valid', 'invalid', 'unknown', 'skipped'];
/** receivedAt values that do not pack (fractional, far past or future): rare, kept aside. */
const exactAt = new WeakMap<Entry, number>();

export function receivedAtOf(entry: Entry): number {
  return Number.isNaN(entry.atSec) ? (exactAt.get(entry) as number) : (entry.atSec + AT_BASE_SEC) * 1000 + (entry.marks & 1023);
}
export function signatureOf(entry: Entry): string {
  return SIGNATURES[(entry.marks >> 10) & 7] ?? '';
}
export function schemaOf(entry: Entry): string {
  return SCHEMAS[(entry.marks >> 13) & 7] ?? '';
}
export function flagsOf(entry: Entry): number {
  return entry.marks >> 16;
}

const MAX_INTERNED = 100_000;

/** One copy of each repeated string, up to a bound (beyond it strings are kept as they come). */
export class Interner {
  private strings = new Map<string, string>();
  /** Reads compact indexes reusing the strings it has seen (start-up builds few new ones). */
  readonly reader = new CompactIndexReader();
  of<T extends string | null>(value: T): T {
    if (value === null) return value;
    const known = this.strings.get(value);
    if (known !== undefined) return known as T;
    if (this.strings.size < MAX_INTERNED) this.strings.set(value, value);
    return value;
  }
}

/** A verdict status as its small code; 7: none known. (Module level: entryOf runs a million times at start-up.) */
function code(list: string[], value: string): number {
  const at = list.indexOf(value);
  return at === -1 ? 7 : at;
}

export function entryOf(index: CompactIndex, segment: number, offset: number, metaLength: number, length: number, intern: Interner): Entry {
  const [id, receivedAt, method, status, signature, schema, eventType, deliveryId, path, peer, flags] = index;
  const sec = Math.floor(receivedAt / 1000) - AT_BASE_SEC;
  const packs = Number.isInteger(receivedAt) && Math.abs(sec) < 2 ** 30;
  const ms = packs ? receivedAt - (sec + AT_BASE_SEC) * 1000 : 0;
  const marks = ms | (code(SIGNATURES, signature) << 10) | (code(SCHEMAS, schema) << 13) | (flags << 16);
  const entry: Entry = {
    id, segment, offset, metaLength, length, atSec: packs ? sec : Number.NaN,
    method: intern.of(method), status, marks, eventType: intern.of(eventType), deliveryId, path: intern.of(path), peer: intern.of(peer),
  };
  if (!packs) exactAt.set(entry, receivedAt);
  return entry;
}

/**
 * The retained captures of one endpoint, oldest first, with lookups by id and delivery id and
 * how many retained captures each segment holds (a segment holding none can be dropped).
 */
export class CaptureIndex {
  readonly entries = new EntryList<Entry>();
  /** Delivery id → the entry holding it, or those holding it oldest first when several do. */
  private byDeliveryId = new Map<string, Entry | Entry[]>();
  /** Replay attempts of the captures that have any. */
  readonly replays = new Map<string, ReplayAttempt[]>();
  /** Delivery ids of the form `<prefix>:<id>` by what follows the colon (`delivery:<id>` matches those too). */
  private byDeliverySuffix = new Map<string, Entry | Entry[]>();
  /** Retained captures per segment, in segment order. */
  readonly live = new Map<number, number>();
  /**
   * The receivedAt range of what each segment was given (ms; deletions never narrow it): a time
   * range query skips every segment it cannot overlap.
   */
  readonly spans = new Map<number, { min: number; max: number }>();
  /** A segment's last retained capture went away: dropping has work. */
  emptiedSegment = false;

  get size(): number {
    return this.entries.length;
  }

  /** By id: a binary search, since ids sort in the order entries are kept. */
  get(id: string): Entry | undefined {
    const entry = this.entries.at(this.entries.firstAtOrAfter(id));
    return entry?.id === id ? entry : undefined;
  }

  /** Every retained entry with this delivery id, oldest first. */
  withDeliveryId(deliveryId: string): readonly Entry[] {
    return listOf(this.byDeliveryId.get(deliveryId));
  }

  /** Every retained entry `delivery:<value>` matches exactly (the id, or what follows its colon), oldest first. */
  matchingDeliveryId(value: string): Entry[] {
    const suffixed = listOf(this.byDeliverySuffix.get(value));
    const whole = listOf(this.byDeliveryId.get(value));
    if (suffixed.length === 0) return [...whole];
    return [...new Set([...whole, ...suffixed])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  firstWithDeliveryId(deliveryId: string): Entry | null {
    const held = this.byDeliveryId.get(deliveryId);
    return held === undefined ? null : Array.isArray(held) ? (held[0] as Entry) : held;
  }

  /** Entries after `cursor` (all when absent), oldest first: at most `limit`, and no more once they span `maxBytes` (at least one). */
  after(cursor: string | undefined, limit: number, maxBytes: number): Entry[] {
    const start = cursor === undefined ? 0 : this.entries.firstAfter(cursor);
    const picked: Entry[] = [];
    let bytes = 0;
    for (let i = start; i < this.entries.length && picked.length < limit && (picked.length === 0 || bytes < maxBytes); i++) {
      const entry = this.entries.at(i) as Entry;
      picked.push(entry);
      bytes += entry.length;
    }
    return picked;
  }

  add(entry: Entry): void {
    this.entries.push(entry);
    if (entry.deliveryId !== null) {
      link(this.byDeliveryId, entry.deliveryId, entry);
      const colon = entry.deliveryId.indexOf(':');
      if (colon !== -1) link(this.byDeliverySuffix, entry.deliveryId.slice(colon + 1), entry);
    }
    this.live.set(entry.segment, (this.live.get(entry.segment) ?? 0) + 1);
    const at = receivedAtOf(entry);
    const span = this.spans.get(entry.segment);
    if (!span) this.spans.set(entry.segment, { min: at, max: at });
    else if (at < span.min) span.min = at;
    else if (at > span.max) span.max = at;
  }

  /** Removes one capture (deleted). */
  remove(entry: Entry): void {
    this.unlink(entry);
    this.entries.remove(entry);
  }

  /** Removes the `count` oldest captures (retention); resolves to the newest removed. */
  evict(count: number): Entry | undefined {
    const evicted = this.entries.shift(count);
    for (const entry of evicted) this.unlink(entry);
    return evicted[evicted.length - 1];
  }

  /** Removes every capture up to and including `id`. */
  evictThrough(id: string): void {
    this.evict(this.entries.firstAfter(id));
  }

  /** A segment's files are gone: forget it. */
  forget(segment: number): void {
    this.live.delete(segment);
    this.spans.delete(segment);
  }

  clear(): void {
    this.entries.clear();
    this.byDeliveryId.clear();
    this.byDeliverySuffix.clear();
    this.replays.clear();
    this.live.clear();
    this.spans.clear();
  }

  private unlink(entry: Entry): void {
    this.replays.delete(entry.id);
    if (entry.deliveryId !== null) {
      unlink(this.byDeliveryId, entry.deliveryId, entry);
      const colon = entry.deliveryId.indexOf(':');
      if (colon !== -1) unlink(this.byDeliverySuffix, entry.deliveryId.slice(colon + 1), entry);
    }
    const live = (this.live.get(entry.segment) ?? 1) - 1;
    this.live.set(entry.segment, live);
    if (live === 0) this.emptiedSegment = true;
  }
}

/** A map value is one entry (the usual case: no array to allocate) or several, oldest first. */
function listOf(held: Entry | Entry[] | undefined): Entry[] {
  return held === undefined ? [] : Array.isArray(held) ? held : [held];
}

function link(map: Map<string, Entry | Entry[]>, key: string, entry: Entry): void {
  const held = map.get(key);
  if (held === undefined) map.set(key, entry);
  else if (Array.isArray(held)) held.push(entry);
  else map.set(key, [held, entry]);
}

function unlink(map: Map<string, Entry | Entry[]>, key: string, entry: Entry): void {
  const held = map.get(key);
  if (held === entry) map.delete(key);
  else if (Array.isArray(held)) {
    const at = held.indexOf(entry);
    if (at !== -1) held.splice(at, 1);
    if (held.length === 1) map.set(key, held[0] as Entry);
  }
}
