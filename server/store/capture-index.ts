import type { ReplayAttempt } from '../../shared/capture';
import type { CompactIndex } from './record-format';
import { EntryList } from './entry-list';

/**
 * What memory holds of one retained capture (a few hundred bytes): where it is on disk and the
 * fields field-queries decide on. Strings that repeat (methods, verdicts, event types, peers,
 * paths) are interned. Summaries are read from disk when a page is served.
 */
export interface Entry {
  id: string;
  segment: number;
  offset: number; // bytes: its metadata record
  metaLength: number; // bytes, newline excluded
  length: number; // bytes from the metadata record to the end of the body
  receivedAt: number; // ms since epoch
  method: string;
  status: number;
  signature: string;
  schema: string;
  eventType: string | null;
  deliveryId: string | null;
  path: string;
  peer: string;
  flags: number; // FLAG_DUPLICATE | FLAG_REJECTED
}

const MAX_INTERNED = 100_000;

/** One copy of each repeated string, up to a bound (beyond it strings are kept as they come). */
export class Interner {
  private strings = new Map<string, string>();
  of<T extends string | null>(value: T): T {
    if (value === null) return value;
    const known = this.strings.get(value);
    if (known !== undefined) return known as T;
    if (this.strings.size < MAX_INTERNED) this.strings.set(value, value);
    return value;
  }
}

export function entryOf(index: CompactIndex, segment: number, offset: number, metaLength: number, length: number, intern: Interner): Entry {
  const [id, receivedAt, method, status, signature, schema, eventType, deliveryId, path, peer, flags] = index;
  return {
    id, segment, offset, metaLength, length, receivedAt,
    method: intern.of(method), status, signature: intern.of(signature), schema: intern.of(schema), eventType: intern.of(eventType),
    deliveryId, path: intern.of(path), peer: intern.of(peer), flags,
  };
}

/**
 * The retained captures of one endpoint, oldest first, with lookups by id and delivery id and
 * how many retained captures each segment holds (a segment holding none can be dropped).
 */
export class CaptureIndex {
  readonly entries = new EntryList<Entry>();
  private byId = new Map<string, Entry>();
  /** Delivery id → the entry holding it, or those holding it oldest first when several do. */
  private byDeliveryId = new Map<string, Entry | Entry[]>();
  /** Replay attempts of the captures that have any. */
  readonly replays = new Map<string, ReplayAttempt[]>();
  /** Retained captures per segment, in segment order. */
  readonly live = new Map<number, number>();
  /** A segment's last retained capture went away: dropping has work. */
  emptiedSegment = false;

  get size(): number {
    return this.entries.length;
  }

  get(id: string): Entry | undefined {
    return this.byId.get(id);
  }

  firstWithDeliveryId(deliveryId: string): Entry | null {
    const held = this.byDeliveryId.get(deliveryId);
    return held === undefined ? null : Array.isArray(held) ? (held[0] as Entry) : held;
  }

  add(entry: Entry): void {
    this.entries.push(entry);
    this.byId.set(entry.id, entry);
    if (entry.deliveryId !== null) {
      const held = this.byDeliveryId.get(entry.deliveryId);
      if (held === undefined) this.byDeliveryId.set(entry.deliveryId, entry);
      else if (Array.isArray(held)) held.push(entry);
      else this.byDeliveryId.set(entry.deliveryId, [held, entry]);
    }
    this.live.set(entry.segment, (this.live.get(entry.segment) ?? 0) + 1);
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

  clear(): void {
    this.entries.clear();
    this.byId.clear();
    this.byDeliveryId.clear();
    this.replays.clear();
    this.live.clear();
  }

  private unlink(entry: Entry): void {
    this.byId.delete(entry.id);
    this.replays.delete(entry.id);
    if (entry.deliveryId !== null) {
      const held = this.byDeliveryId.get(entry.deliveryId);
      if (held === entry) this.byDeliveryId.delete(entry.deliveryId);
      else if (Array.isArray(held)) {
        const at = held.indexOf(entry);
        if (at !== -1) held.splice(at, 1);
        if (held.length === 1) this.byDeliveryId.set(entry.deliveryId, held[0] as Entry);
      }
    }
    const live = (this.live.get(entry.segment) ?? 1) - 1;
    this.live.set(entry.segment, live);
    if (live === 0) this.emptiedSegment = true;
  }
}
