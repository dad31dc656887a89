/**
 * A bounded map that drops the least recently used entry first, with an optional age limit. Built on one `Map`,
 * whose insertion order is the recency order: nothing is allocated up front (an LRU sized for 100,000 entries
 * need not cost 100,000 slots before the first one), and an entry costs one Map entry and one small record.
 *
 * Reading an entry moves it to the back only when it has drifted into the older three quarters, so the hottest
 * entries are read without touching the Map's order at all; an entry is never dropped while a quarter of the
 * map's capacity of other entries is younger than it.
 */
export class RecencyMap<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private clock = 0;
  private readonly freshWithin: number;

  /**
   * @param max the most entries kept
   * @param ttlMs how long an entry stays, in ms; 0 keeps it until it is dropped for room
   * @param onDrop told of each entry that leaves other than by `set` over it (dropped for room, expired, deleted)
   */
  constructor(
    private readonly max: number,
    private readonly ttlMs = 0,
    private readonly onDrop?: (value: V, key: K) => void,
  ) {
    this.freshWithin = Math.max(1, Math.floor(max / 4));
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value, marking it used; `undefined` when absent or expired. */
  get(key: K): V | undefined {
    const entry = this.live(key);
    if (entry === undefined) return undefined;
    if (this.clock - entry.used > this.freshWithin) {
      this.entries.delete(key);
      entry.used = ++this.clock;
      this.entries.set(key, entry);
    }
    return entry.value;
  }

  /** The value without marking it used. */
  peek(key: K): V | undefined {
    return this.live(key)?.value;
  }

  /**
   * Stores the value as the most recently used, dropping the least recently used past `max`.
   * @param ttlMs this entry's age limit instead of the map's
   */
  set(key: K, value: V, ttlMs = this.ttlMs): void {
    this.entries.delete(key);
    this.entries.set(key, { value, used: ++this.clock, expiresAt: ttlMs > 0 ? Date.now() + ttlMs : 0 });
    while (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value as K;
      this.drop(oldest);
    }
  }

  delete(key: K): boolean {
    if (!this.entries.has(key)) return false;
    this.drop(key);
    return true;
  }

  clear(): void {
    for (const key of [...this.entries.keys()]) this.drop(key);
  }

  private live(key: K): Entry<V> | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== 0 && entry.expiresAt <= Date.now()) {
      this.drop(key);
      return undefined;
    }
    return entry;
  }

  private drop(key: K): void {
    const entry = this.entries.get(key) as Entry<V>;
    this.entries.delete(key);
    this.onDrop?.(entry.value, key);
  }
}

interface Entry<V> {
  readonly value: V;
  /** The clock when last set or moved to the back. */
  used: number;
  /** When it expires (ms since the epoch); 0 for never. */
  readonly expiresAt: number;
}
