/**
 * A Map that forgets its oldest entry past `maxEntries`: parsed keys and compiled schemas are
 * cached by config text, and configs change, so the cache must not grow without bound.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly maxEntries = 256) {}

  /** The cached value, computing and keeping it on a miss. */
  get(key: K, compute: (key: K) => V): V {
    if (this.entries.has(key)) return this.entries.get(key) as V;
    const value = compute(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as K);
    this.entries.set(key, value);
    return value;
  }

  /** The cached value, or undefined; a miss stores nothing. */
  peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  /** Stores a value, forgetting the oldest entry when full. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as K);
    this.entries.set(key, value);
  }

  /** Forgets one key. */
  delete(key: K): void {
    this.entries.delete(key);
  }
}
