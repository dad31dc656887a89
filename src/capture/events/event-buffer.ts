import { ApiError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import { BackoffGate } from './backoff-gate';
import { DropLog } from './drop-log';
import { type EventBatch, takeBatch } from './event-batch';
import { EventRing } from './event-ring';
import type { QueuedEvent } from './wire-events';

/** After the current call stack: `setImmediate` on Node, a zero timeout where there is none (edge runtimes). */
function soon(task: () => void): void {
  if (typeof setImmediate === 'function') setImmediate(task);
  else setTimeout(task, 0);
}

export interface EventBufferOptions<Q = QueuedEvent, W = Q> {
  /** Who receives the events, as log lines name it (`Schematic`, `FeatBit`). */
  destination: string;
  /** What to raise when the queue is full: the option that sets `maxQueued`. */
  maxQueuedOption: string;
  /** The option that sets `maxQueuedBytes`, named when that bound is the one reached. @default 'maxQueuedEventBytes' */
  maxQueuedBytesOption?: string;
  /**
   * Puts one event in the form `send` takes. An event it throws on is dropped alone, with a logged count:
   * retrying could never make it sendable, and it must not hold back the events behind it.
   * @default the event as it is
   */
  format?: (event: Q) => W;
  /** Delivers one batch; throws `ApiError` when it could not. `signal` aborts when `close()` gives up. */
  send: (events: readonly W[], signal: AbortSignal) => Promise<void>;
  /** How often queued events are sent. */
  intervalMs: number;
  /** Events per request (Schematic's capture service takes at most 100). */
  maxBatch: number;
  /** The most events waiting; past it the oldest are dropped, with a warning and a count. */
  maxQueued: number;
  /** The most bytes of events waiting (as `sizeOf` counts them); past it the oldest are dropped the same way. @default Infinity */
  maxQueuedBytes?: number;
  /** An event's size in bytes: its serialised length, known when it is queued. @default a string's length, else 0 */
  sizeOf?: (event: Q) => number;
  /** How many batches may be on their way at once. @default 1 */
  maxInFlight?: number;
  logger: Logger;
  random: () => number;
  /** The first wait after a failure; doubles with each failure in a row. */
  retryInitialDelayMs: number;
}

export interface EventBufferStats {
  readonly queued: number;
  readonly delivered: number;
  /** Lost: dropped from a full queue, not formattable, refused outright by the service (4xx), undelivered at close or queued after it. */
  readonly dropped: number;
  /** Batches sent again after a failure. */
  readonly retries: number;
}

const DROP_LOG_INTERVAL_MS = 10_000;
/** While close() drains, a pause after a failure is cut to this, so the deadline is spent trying. */
const CLOSING_PAUSE_MS = 250;
const RESOLVED: Promise<void> = Promise.resolve();

/**
 * Events on their way to a capture service (Schematic's, FeatBit's). Queueing is O(1) and never waits: events
 * wait in an EventRing bounded by count and by bytes. Up to `maxInFlight` senders each take a batch and
 * deliver it: a batch that fails for a reason that may pass (no connection, timeout, 408/429/5xx) stays with
 * its sender and is tried again — the same batch, so it arrives once — after a backoff that all senders share,
 * for as long as the process runs (Schematic's SDK gives up after three tries). Nothing is dropped silently:
 * DropLog logs and counts every event lost, and close() logs the total.
 *
 * When the queue is full the OLDEST waiting event is dropped, for both services: during an outage the newest
 * events describe the present (the traits of the last identify, the flags served now), and whoever reads them
 * after the outage wants those; the oldest have waited longest. Batches already taken by a sender are never
 * dropped to make room (one may already have arrived), so at most `maxInFlight` × `maxBatch` events are held
 * beside the bounded queue.
 */
export class EventBuffer<Q = QueuedEvent, W = Q> {
  private readonly ring: EventRing<Q>;
  private readonly drops: DropLog;
  private readonly format: (event: Q) => W;
  private readonly sizeOf: (event: Q) => number;
  private readonly maxInFlight: number;
  private interval: ReturnType<typeof setInterval> | null = null;
  /** Events queued when sending last began: they go now, the rest waits for a full batch or the next tick. */
  private owed = 0;
  private senders = 0;
  private heldEvents = 0;
  private heldBytes = 0;
  private kickPending = false;
  private whenIdle: { promise: Promise<void>; resolve: () => void } | null = null;
  private readonly gate: BackoffGate;
  private delivered = 0;
  private retries = 0;
  private closing: Promise<EventBufferStats> | null = null;
  /** Set while close() delivers what is left: partial batches go at once, pauses are short. */
  private draining = false;
  /** Set once `close()` has reported what was lost: nothing is sent or put back after that. */
  private closed = false;
  private readonly stopped = new AbortController();

  constructor(private readonly options: EventBufferOptions<Q, W>) {
    this.format = options.format ?? ((event) => event as unknown as W);
    this.sizeOf = options.sizeOf ?? ((event) => (typeof event === 'string' ? event.length : 0));
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 1);
    this.ring = new EventRing<Q>(options.maxQueued, options.maxQueuedBytes ?? Number.POSITIVE_INFINITY);
    this.gate = new BackoffGate({ initialDelayMs: options.retryInitialDelayMs, random: options.random, logger: options.logger });
    this.drops = new DropLog({ logger: options.logger, destination: options.destination, intervalMs: DROP_LOG_INTERVAL_MS });
    // Background work must not keep the process alive; close() holds it open for its own deadline instead.
    this.interval = setInterval(() => this.kick(), options.intervalMs);
    this.interval.unref?.();
  }

  /** Events held: waiting, and in batches being sent. */
  get size(): number {
    return this.ring.length + this.heldEvents;
  }

  /** Bytes of the events held (as `sizeOf` counts them): waiting, and in batches being sent. */
  get queuedBytes(): number {
    return this.ring.bytes + this.heldBytes;
  }

  get stats(): EventBufferStats {
    return { queued: this.size, delivered: this.delivered, dropped: this.drops.total, retries: this.retries };
  }

  /** Queues an event. Never throws, never waits. After `close()` the event is dropped, and that is logged. */
  push(event: Q): void {
    if (this.closed) return this.dropAfterClose();
    const size = this.sizeOf(event);
    if (!this.ring.fits(size) && !this.makeRoom(size)) return;
    this.ring.push(event, size);
    // A full batch goes out soon, but not on the caller's call stack.
    if (this.ring.length >= this.options.maxBatch && !this.kickPending && this.senders < this.maxInFlight && !this.gate.isShut) {
      this.kickPending = true;
      soon(() => {
        this.kickPending = false;
        this.kick();
      });
    }
  }

  /** Sends everything queued now; resolves when the queue is empty or a send failed for now. */
  async flush(): Promise<void> {
    this.kick();
    await this.idle();
  }

  /**
   * Stops the timer and delivers what is queued, trying until `deadlineMs` from now. Events still undelivered
   * then are reported (logged and counted), never dropped silently. Safe to call more than once.
   */
  close(deadlineMs: number): Promise<EventBufferStats> {
    this.closing ??= this.drainAndClose(deadlineMs);
    return this.closing;
  }

  private async drainAndClose(deadlineMs: number): Promise<EventBufferStats> {
    if (this.interval) clearInterval(this.interval);
    this.interval = null;
    this.draining = true;
    const deadline = Date.now() + deadlineMs;
    while (this.size > 0 && Date.now() < deadline) {
      this.gate.open();
      this.kick();
      await this.idleOr(deadline);
    }
    const left = this.size;
    this.closed = true;
    this.ring.clear();
    this.heldEvents = 0;
    this.heldBytes = 0;
    this.stopped.abort(new Error('the event buffer is closed'));
    this.gate.open();
    this.drops.closed(left);
    return this.stats;
  }

  /** Makes room for an event of `size` by dropping the oldest; false when it could never fit, and is dropped itself. */
  private makeRoom(size: number): boolean {
    const { maxQueuedBytes = Number.POSITIVE_INFINITY, maxQueuedBytesOption = 'maxQueuedEventBytes', maxQueuedOption, maxQueued, destination } = this.options;
    if (size > maxQueuedBytes) {
      this.drops.flood('full', 1, () => `an event of ${size} bytes is larger than the whole event queue (${maxQueuedBytesOption}: ${maxQueuedBytes}); it is dropped`);
      return false;
    }
    const byCount = this.ring.length >= maxQueued;
    let dropped = 0;
    while (!this.ring.fits(size) && this.ring.shift()) dropped++;
    const limit = byCount ? `${maxQueued} events` : `${maxQueuedBytes} bytes`;
    const option = byCount ? maxQueuedOption : maxQueuedBytesOption;
    this.drops.flood('full', dropped, () => `event queue is full (${limit}): dropped the ${dropped} oldest; raise ${option} or check the connection to ${destination} (a count follows every ${DROP_LOG_INTERVAL_MS / 1000} s while it lasts)`);
    return true;
  }

  private dropAfterClose(): void {
    this.drops.flood('afterClose', 1, () => '1 events were queued after close() and are dropped');
  }

  /** Whether a sender should take a batch now: what is owed, a full batch, or all of it while closing. */
  private hasWork(): boolean {
    const waiting = this.ring.length;
    return waiting > 0 && (this.owed > 0 || waiting >= this.options.maxBatch || this.draining);
  }

  private kick(): void {
    if (this.closed) return;
    this.owed = this.ring.length;
    this.startSenders();
  }

  /** Starts senders while there is work and room for one; none while all wait after a failure. */
  private startSenders(): void {
    while (!this.closed && !this.gate.isShut && this.senders < this.maxInFlight && this.hasWork()) {
      // The sender takes its batch before its first await, so hasWork() sees what is left.
      const batch = this.take();
      if (batch === null) break;
      this.senders++;
      void this.sender(batch);
    }
  }

  private async sender(first: EventBatch<Q, W>): Promise<void> {
    try {
      let batch: EventBatch<Q, W> | null = first;
      while (batch !== null && !this.closed) {
        await this.deliver(batch);
        // No new batch while the senders wait after a failure: only the failed batches are tried again.
        batch = !this.gate.isShut && this.hasWork() ? this.take() : null;
      }
    } finally {
      this.senders--;
      if (this.senders === 0) {
        const waiting = this.whenIdle;
        this.whenIdle = null;
        waiting?.resolve();
      }
    }
  }

  /** The next batch of events that can be formatted; those that cannot are dropped and logged. `null` when none is left. */
  private take(): EventBatch<Q, W> | null {
    while (this.ring.length > 0) {
      const { batch, taken, unformattable, firstError } = takeBatch(this.ring, this.options.maxBatch, this.format);
      this.owed -= taken;
      if (unformattable > 0) {
        this.drops.count('unformattable', unformattable);
        const why = (firstError as Error)?.message ?? firstError;
        this.options.logger.error(`${unformattable} events could not be formatted for ${this.options.destination} (${why}); they are dropped`, firstError);
      }
      if (batch.events.length === 0) continue;
      this.heldEvents += batch.events.length;
      this.heldBytes += batch.bytes;
      return batch;
    }
    return null;
  }

  /** Sends one batch until it is delivered, refused, or the buffer closes. */
  private async deliver(batch: EventBatch<Q, W>): Promise<void> {
    for (;;) {
      await this.gate.wait();
      if (this.closed) return;
      const since = this.gate.since;
      try {
        await this.options.send(batch.wire, this.stopped.signal);
        // close() has already counted these as lost.
        if (this.closed) return;
        this.release(batch);
        this.delivered += batch.events.length;
        this.gate.succeeded();
        // After an outage, the other senders start again.
        this.startSenders();
        return;
      } catch (error) {
        if (this.closed) return;
        if (error instanceof ApiError && !error.retryable) {
          this.release(batch);
          this.drops.count('refused', batch.events.length);
          this.options.logger.error(`${this.options.destination} refused ${batch.events.length} events (${error.message}); they are dropped`);
          return;
        }
        this.retries++;
        this.gate.failed(error, since, this.draining ? CLOSING_PAUSE_MS : Number.POSITIVE_INFINITY);
      }
    }
  }

  private release(batch: EventBatch<Q, W>): void {
    this.heldEvents -= batch.events.length;
    this.heldBytes -= batch.bytes;
  }

  /** Resolves when no sender is running. */
  private idle(): Promise<void> {
    if (this.senders === 0) return RESOLVED;
    if (this.whenIdle === null) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      this.whenIdle = { promise, resolve };
    }
    return this.whenIdle.promise;
  }

  /**
   * Waits for the senders or the deadline. The deadline timer is ref'd on purpose: when an awaited close() is
   * all a process has left to do, it must keep the process alive until its deadline, so that what could not be
   * delivered is reported rather than the process exiting with close() still pending.
   */
  private async idleOr(deadline: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
    try {
      await Promise.race([this.idle(), expired]);
    } finally {
      clearTimeout(timer);
    }
  }
}
