/** Something kept in arrival order under an id that sorts in that order. */
export interface Ordered {
  id: string;
}

/**
 * Index entries oldest first. Retention removes from the front on nearly every append once an
 * endpoint is full, so the front is a moving offset (compacted now and then) rather than an
 * array shift: the cost of an append does not grow with the retention limit.
 */
export class EntryList<T extends Ordered> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  at(index: number): T | undefined {
    return this.items[this.head + index];
  }

  push(entry: T): void {
    this.items.push(entry);
  }

  /** Removes and returns the `count` oldest entries. */
  shift(count: number): T[] {
    const removed = this.items.slice(this.head, this.head + count);
    this.head += removed.length;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return removed;
  }

  /** Removes one entry (found by its id); false when it is not here. */
  remove(entry: T): boolean {
    const index = this.firstAtOrAfter(entry.id);
    if (this.at(index) !== entry) return false;
    this.items.splice(this.head + index, 1);
    return true;
  }

  /** Entries from `start` to `end` (exclusive), oldest first. */
  slice(start: number, end: number): T[] {
    return this.items.slice(this.head + start, this.head + Math.max(start, end));
  }

  toArray(): T[] {
    return this.items.slice(this.head);
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }

  /** Index of the first entry whose id is greater than `id`. */
  firstAfter(id: string): number {
    return this.search((entryId) => entryId <= id);
  }

  /** Index of the first entry whose id is not less than `id`. */
  firstAtOrAfter(id: string): number {
    return this.search((entryId) => entryId < id);
  }

  /** Binary search: the first index where `before` turns false. */
  private search(before: (entryId: string) => boolean): number {
    return this.firstWhereNot((item) => before(item.id));
  }

  /** Binary search over a property that sorts with the ids (e.g. segment numbers): the first index where `before` turns false. */
  firstWhereNot(before: (item: T) => boolean): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(this.at(mid) as T)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
