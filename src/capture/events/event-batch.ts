import type { EventRing } from './event-ring';

/** A batch a sender took from the queue: the events (for the counts), their wire form, and their size in bytes. */
export interface EventBatch<Q, W> {
  readonly events: readonly Q[];
  readonly wire: readonly W[];
  readonly bytes: number;
}

/** What `takeBatch` took: the batch, how many events left the queue, and those of them that could not be formatted. */
export interface TakenBatch<Q, W> {
  readonly batch: EventBatch<Q, W>;
  readonly taken: number;
  readonly unformattable: number;
  /** What `format` threw for the first event it could not format. */
  readonly firstError: unknown;
}

/**
 * Takes up to `maxBatch` events from the front of `ring` and formats each. An event `format` throws on is
 * left out of the batch and counted: retrying could never make it sendable, and it must not hold back the
 * events behind it.
 * @internal
 */
export function takeBatch<Q, W>(ring: EventRing<Q>, maxBatch: number, format: (event: Q) => W): TakenBatch<Q, W> {
  const events: Q[] = [];
  const wire: W[] = [];
  let bytes = 0;
  let taken = 0;
  let firstError: unknown = null;
  while (taken < maxBatch) {
    const next = ring.shift();
    if (next === undefined) break;
    taken++;
    try {
      wire.push(format(next.event));
      events.push(next.event);
      bytes += next.size;
    } catch (error) {
      firstError ??= error;
    }
  }
  return { batch: { events, wire, bytes }, taken, unformattable: taken - events.length, firstError };
}
