/** The smallest backing array: a quiet client holds a few kilobytes, not one slot per event it may ever hold. */
const INITIAL_SLOTS = 1024;

/**
 * Events waiting to be sent, oldest first, bounded by a count and by a size: a ring (head index and length
 * over one array) so that adding, taking and dropping the oldest are O(1) and nothing is ever copied to
 * reclaim the room a taken or dropped event held. The array grows by doubling up to `maxCount` slots and never
 * past it; each event's size is given when it is added (its serialised length, known by then) and kept
 * beside it, so the total is exact without measuring anything twice.
 * @internal
 */
export class EventRing<T> {
  private slots: (T | undefined)[];
  private sizes: Float64Array;
  private head = 0;
  private count = 0;
  private total = 0;

  constructor(
    readonly maxCount: number,
    readonly maxBytes: number,
  ) {
    const initial = Math.min(INITIAL_SLOTS, maxCount);
    this.slots = new Array<T | undefined>(initial);
    this.sizes = new Float64Array(initial);
  }

  get length(): number {
    return this.count;
  }

  /** The sum of the sizes of the events held. */
  get bytes(): number {
    return this.total;
  }

  /** Whether an event of `size` fits beside what is held now, by count and by size. */
  fits(size: number): boolean {
    return this.count < this.maxCount && this.total + size <= this.maxBytes;
  }

  /** Adds at the back. The caller makes room first (`fits`, `dropOldest`): past either bound this throws. */
  push(event: T, size: number): void {
    if (!this.fits(size)) throw new RangeError('EventRing is full');
    if (this.count === this.slots.length) this.grow();
    const at = (this.head + this.count) % this.slots.length;
    this.slots[at] = event;
    this.sizes[at] = size;
    this.count++;
    this.total += size;
  }

  /** Removes and returns the oldest event, with its size; `undefined` when empty. */
  shift(): { event: T; size: number } | undefined {
    if (this.count === 0) return undefined;
    const event = this.slots[this.head] as T;
    const size = this.sizes[this.head] ?? 0;
    // The slot lets go of the event at once: a dropped or sent event must not stay reachable from here.
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.slots.length;
    this.count--;
    this.total -= size;
    return { event, size };
  }

  /** Empties the ring; returns how many events it held. */
  clear(): number {
    const held = this.count;
    this.slots = new Array<T | undefined>(Math.min(INITIAL_SLOTS, this.maxCount));
    this.sizes = new Float64Array(this.slots.length);
    this.head = 0;
    this.count = 0;
    this.total = 0;
    return held;
  }

  /** Doubles the backing arrays (up to `maxCount` slots), unrolling the ring to start at index 0. */
  private grow(): void {
    const capacity = Math.min(this.slots.length * 2, this.maxCount);
    const slots = new Array<T | undefined>(capacity);
    const sizes = new Float64Array(capacity);
    for (let i = 0; i < this.count; i++) {
      const from = (this.head + i) % this.slots.length;
      slots[i] = this.slots[from];
      sizes[i] = this.sizes[from] ?? 0;
    }
    this.slots = slots;
    this.sizes = sizes;
    this.head = 0;
  }
}
