import { ApiError } from '../errors';
import type { Logger } from '../logger';
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
  /** The most events held; past it the oldest are dropped, with a warning and a count. */
  maxQueued: number;
  logger: Logger;
  random: () => number;
  /** The first wait after a failure; doubles with each failure in a row. */
  retryInitialDelayMs: number;
}

export interface EventBufferStats {
  readonly queued: number;
  readonly delivered: number;
  /** Dropped because the queue was full, the event could not be formatted, or the capture service refused the batch outright (4xx). */
  readonly dropped: number;
  /** Batches sent again after a failure. */
  readonly retries: number;
}

const MAX_BACKOFF_MS = 30_000;
const DROP_WARNING_INTERVAL_MS = 10_000;

/**
 * Events on their way to a capture service (Schematic's, FeatBit's). Queueing is O(1) and never waits; a timer sends
 * batches in order. A batch that fails for a reason that may pass (no connection, timeout, 408/429/5xx) is
 * kept at the front and tried again with backoff, for as long as the process runs — unlike Schematic's SDK,
 * which gives up after three tries. Nothing is dropped silently: a full queue, an event that cannot be
 * formatted or a refused batch is logged with a count.
 */
export class EventBuffer<Q = QueuedEvent, W = Q> {
  private queue: Q[] = [];
  private head = 0;
  private inFlight: readonly Q[] | null = null;
  private sending: Promise<void> | null = null;
  private interval: ReturnType<typeof setInterval> | null = null;
  private backoffAttempt = 0;
  private wake: (() => void) | null = null;
  private delivered = 0;
  private dropped = 0;
  private retries = 0;
  private droppedSinceWarning = 0;
  private lastDropWarning = Number.NEGATIVE_INFINITY;
  private closing = false;
  /** Set once `close()` has reported what was lost: nothing is sent or put back after that. */
  private closed = false;
  private droppedAfterClose = 0;
  private lastAfterCloseWarning = Number.NEGATIVE_INFINITY;
  private readonly stopped = new AbortController();
  private readonly format: (event: Q) => W;

  constructor(private readonly options: EventBufferOptions<Q, W>) {
    this.format = options.format ?? ((event) => event as unknown as W);
    // Background work must not keep the process alive; close() holds it open for its own deadline instead.
    this.interval = setInterval(() => this.kick(), options.intervalMs);
    this.interval.unref?.();
  }

  get size(): number {
    return this.queue.length - this.head + (this.inFlight?.length ?? 0);
  }

  get stats(): EventBufferStats {
    return { queued: this.size, delivered: this.delivered, dropped: this.dropped, retries: this.retries };
  }

  /** Queues an event. Never throws, never waits. After `close()` the event is dropped, and that is logged. */
  push(event: Q): void {
    if (this.closed) return this.dropAfterClose();
    if (this.size >= this.options.maxQueued) this.dropOldest();
    this.queue.push(event);
    // A full batch goes out soon, but not on the caller's call stack.
    if (this.queue.length - this.head === this.options.maxBatch) soon(() => this.kick());
  }

  /** Counts an event queued after close(), and says so (at most every 10 s, with a count). */
  private dropAfterClose(): void {
    this.dropped++;
    this.droppedAfterClose++;
    const now = Date.now();
    if (now - this.lastAfterCloseWarning < DROP_WARNING_INTERVAL_MS) return;
    this.options.logger.error(`${this.droppedAfterClose} events were queued after close() and are dropped`);
    this.lastAfterCloseWarning = now;
    this.droppedAfterClose = 0;
  }

  /** Sends everything queued now; resolves when the queue is empty or a send failed for now. */
  async flush(): Promise<void> {
    this.kick();
    await this.sending;
  }

  /**
   * Stops the timer and delivers what is queued, trying until `deadlineMs` from now. Events still undelivered
   * then are reported (logged and counted), never dropped silently. Safe to call more than once.
   */
  async close(deadlineMs: number): Promise<EventBufferStats> {
    if (this.interval) clearInterval(this.interval);
    this.interval = null;
    this.closing = true;
    const deadline = Date.now() + deadlineMs;
    while (this.size > 0 && Date.now() < deadline) {
      this.wake?.();
      this.kick();
      await this.untilSentOr(deadline);
    }
    const left = this.size;
    if (left > 0) {
      this.options.logger.error(`${left} events could not be delivered to ${this.options.destination} before close; they are lost`);
      this.dropped += left;
      this.queue = [];
      this.head = 0;
      this.inFlight = null;
    }
    this.closed = true;
    this.stopped.abort(new Error('the event buffer is closed'));
    return this.stats;
  }

  /**
   * Waits for the current send or the deadline. The deadline timer is ref'd on purpose: when an awaited
   * close() is all a process has left to do, it must keep the process alive until its deadline, so that
   * what could not be delivered is reported rather than the process exiting with close() still pending.
   */
  private async untilSentOr(deadline: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
    try {
      await Promise.race([this.sending, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  private kick(): void {
    if (this.sending || this.size === 0) return;
    this.sending = this.pump().finally(() => {
      this.sending = null;
    });
  }

  private async pump(): Promise<void> {
    // What was queued when sending began goes now. What arrives meanwhile waits for the next tick unless it
    // fills a batch (or close() is draining): else steady traffic would go out as one request per event.
    let owed = this.queue.length - this.head;
    while (!this.closed) {
      const queued = this.queue.length - this.head;
      if (queued === 0 || (owed <= 0 && queued < this.options.maxBatch && !this.closing)) break;
      const taken = this.queue.slice(this.head, this.head + this.options.maxBatch);
      this.head += taken.length;
      owed -= taken.length;
      this.compact();
      const { batch, wire } = this.formatted(taken);
      if (batch.length === 0) continue;
      this.inFlight = batch;
      try {
        await this.options.send(wire, this.stopped.signal);
        this.delivered += batch.length;
        this.backoffAttempt = 0;
        this.inFlight = null;
      } catch (error) {
        this.inFlight = null;
        // close() has already counted these as lost.
        if (this.closed) return;
        if (error instanceof ApiError && !error.retryable) {
          this.dropped += batch.length;
          this.options.logger.error(`${this.options.destination} refused ${batch.length} events (${error.message}); they are dropped`);
          continue;
        }
        // Back to the front, in order, to be tried again after a pause.
        this.queue.splice(this.head, 0, ...batch);
        owed += batch.length;
        this.retries++;
        await this.pause(error);
      }
    }
  }

  /** The events of a batch that can be formatted, with their wire form; the others are dropped and logged. */
  private formatted(taken: readonly Q[]): { batch: Q[]; wire: W[] } {
    const batch: Q[] = [];
    const wire: W[] = [];
    let firstError: unknown = null;
    for (const event of taken) {
      try {
        wire.push(this.format(event));
        batch.push(event);
      } catch (error) {
        firstError ??= error;
      }
    }
    const bad = taken.length - batch.length;
    if (bad > 0) {
      this.dropped += bad;
      this.options.logger.error(`${bad} events could not be formatted for ${this.options.destination} (${(firstError as Error)?.message ?? firstError}); they are dropped`, firstError);
    }
    return { batch, wire };
  }

  private pause(error: unknown): Promise<void> {
    const asked = error instanceof ApiError ? error.retryAfterMs : null;
    const exponential = Math.min(this.options.retryInitialDelayMs * 2 ** this.backoffAttempt, MAX_BACKOFF_MS) * (0.9 + 0.2 * this.options.random());
    this.backoffAttempt++;
    const ms = Math.max(asked ?? 0, exponential);
    this.options.logger.debug(`event batch failed (${(error as Error).message}); trying again in ${Math.round(ms)} ms`);
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.closing ? Math.min(ms, 250) : ms);
      timer.unref?.();
      // close() may cut a pause short to use its deadline.
      this.wake = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    }).finally(() => {
      this.wake = null;
    });
  }

  private dropOldest(): void {
    if (this.queue.length - this.head > 0) this.head++;
    this.dropped++;
    this.droppedSinceWarning++;
    const now = Date.now();
    if (now - this.lastDropWarning >= DROP_WARNING_INTERVAL_MS) {
      this.options.logger.warn(
        `event queue is full (${this.options.maxQueued} events): dropped the ${this.droppedSinceWarning} oldest; raise ${this.options.maxQueuedOption} or check the connection to ${this.options.destination}`,
      );
      this.lastDropWarning = now;
      this.droppedSinceWarning = 0;
    }
  }

  /** Keeps the array from growing without bound as its head advances. */
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
