/**
 * A bounded map that drops the least recently used entries first, with an optional age limit.
 *
 * Entries live in generations: `Map`s in the order they were filled, each holding at most a quarter of the
 * capacity. Writes and reads of older entries go into the newest generation; the oldest generation's first entry
 * is the one dropped for room. So an entry costs one `Map` entry and nothing else (no record of when it was used:
 * a store of users keeps hundreds of thousands of them), a hot entry is read with one lookup and without
 * reordering anything, and an entry is never dropped while a quarter of the capacity of other entries is younger
 * than its last use. Nothing is allocated up front: an LRU sized for 100,000 entries costs nothing before its
 * first one.
 */
export class RecencyMap<K, V> {
  /** Oldest first; the last is the one being filled. Never empty. */
  private readonly generations: Map<K, V | Expiring<V>>[] = [new Map()];
  private count = 0;
  private readonly generationSize: number;

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
    this.generationSize = Math.max(1, Math.floor(max / 4));
  }

  get size(): number {
    return this.count;
  }

  /** The value, marking it used; `undefined` when absent or expired. */
  get(key: K): V | undefined {
    const newest = this.newest();
    let held = newest.get(key);
    if (held === undefined) {
      if (this.generations.length === 1) return undefined;
      const at = this.generationOf(key);
      if (at < 0) return undefined;
      const generation = this.generations[at] as Map<K, V | Expiring<V>>;
      held = generation.get(key) as V | Expiring<V>;
      if (isExpired(held)) {
        this.drop(at, key);
        return undefined;
      }
      // Read again after drifting back: it moves to the newest generation (once, not on every read).
      generation.delete(key);
      this.dropIfEmpty(at);
      this.newest().set(key, held);
      this.sealIfFull();
      return valueOf(held);
    }
    if (isExpired(held)) {
      this.drop(this.generations.length - 1, key);
      return undefined;
    }
    return valueOf(held);
  }

  /** The value without marking it used. */
  peek(key: K): V | undefined {
    const at = this.generationOf(key);
    if (at < 0) return undefined;
    const held = this.generations[at]?.get(key) as V | Expiring<V>;
    if (isExpired(held)) {
      this.drop(at, key);
      return undefined;
    }
    return valueOf(held);
  }

  /**
   * Stores the value as the most recently used, dropping the least recently used past `max`.
   * @param ttlMs this entry's age limit instead of the map's
   */
  set(key: K, value: V, ttlMs = this.ttlMs): void {
    const at = this.generationOf(key);
    if (at >= 0) {
      this.generations[at]?.delete(key);
      this.count--;
      this.dropIfEmpty(at);
    }
    this.newest().set(key, ttlMs > 0 ? new Expiring(value, Date.now() + ttlMs) : value);
    this.count++;
    this.sealIfFull();
    while (this.count > this.max) {
      const oldest = this.generations[0] as Map<K, V | Expiring<V>>;
      this.drop(0, oldest.keys().next().value as K);
    }
  }

  delete(key: K): boolean {
    const at = this.generationOf(key);
    if (at < 0) return false;
    this.drop(at, key);
    return true;
  }

  clear(): void {
    const held = this.generations.flatMap((generation) => [...generation]);
    this.generations.splice(0, this.generations.length, new Map());
    this.count = 0;
    for (const [key, value] of held) this.onDrop?.(valueOf(value), key);
  }

  private newest(): Map<K, V | Expiring<V>> {
    return this.generations[this.generations.length - 1] as Map<K, V | Expiring<V>>;
  }

  /** Where the key is, newest generation first (reads favour recent entries); -1 when absent. */
  private generationOf(key: K): number {
    for (let at = this.generations.length - 1; at >= 0; at--) if (this.generations[at]?.has(key)) return at;
    return -1;
  }

  /** A full newest generation is sealed: later entries go into a new one. */
  private sealIfFull(): void {
    if (this.newest().size >= this.generationSize) this.generations.push(new Map());
  }

  private dropIfEmpty(at: number): void {
    if (at < this.generations.length - 1 && this.generations[at]?.size === 0) this.generations.splice(at, 1);
  }

  private drop(at: number, key: K): void {
    const generation = this.generations[at] as Map<K, V | Expiring<V>>;
    const held = generation.get(key) as V | Expiring<V>;
    generation.delete(key);
    this.count--;
    this.dropIfEmpty(at);
    this.onDrop?.(valueOf(held), key);
  }
}

/** A value with an age limit: only maps given one wrap their values, so a map without pays nothing per entry. */
class Expiring<V> {
  constructor(
    readonly value: V,
    /** When it expires, in ms since the epoch. */
    readonly expiresAt: number,
  ) {}
}

function isExpired(held: unknown): boolean {
  return held instanceof Expiring && held.expiresAt <= Date.now();
}

function valueOf<V>(held: V | Expiring<V>): V {
  return held instanceof Expiring ? (held.value as V) : held;
}
