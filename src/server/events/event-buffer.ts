import { ApiError } from '../errors';
import type { Logger } from '../logger';
import type { QueuedEvent } from './wire-events';

/** After the current call stack: `setImmediate` on Node, a zero timeout where there is none (edge runtimes). */
function soon(task: () => void): void {
  if (typeof setImmediate === 'function') setImmediate(task);
  else setTimeout(task, 0);
}

export interface EventBufferOptions {
  /** Delivers one batch; throws `ApiError` when it could not. */
  send: (events: readonly QueuedEvent[]) => Promise<void>;
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
  /** Dropped because the queue was full, or the capture service refused the batch outright (4xx). */
  readonly dropped: number;
  /** Batches sent again after a failure. */
  readonly retries: number;
}

const MAX_BACKOFF_MS = 30_000;
const DROP_WARNING_INTERVAL_MS = 10_000;

/**
 * Identify and track events on their way to Schematic. Queueing is O(1) and never waits; a timer sends
 * batches in order. A batch that fails for a reason that may pass (no connection, timeout, 408/429/5xx) is
 * kept at the front and tried again with backoff, for as long as the process runs — unlike Schematic's SDK,
 * which gives up after three tries. Nothing is dropped silently: a full queue or a refused batch is logged
 * with a count.
 */
export class EventBuffer {
  private queue: QueuedEvent[] = [];
  private head = 0;
  private inFlight: readonly QueuedEvent[] | null = null;
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

  constructor(private readonly options: EventBufferOptions) {
    this.interval = setInterval(() => this.kick(), options.intervalMs);
    this.interval.unref?.();
  }

  get size(): number {
    return this.queue.length - this.head + (this.inFlight?.length ?? 0);
  }

  get stats(): EventBufferStats {
    return { queued: this.size, delivered: this.delivered, dropped: this.dropped, retries: this.retries };
  }

  /** Queues an event. Never throws, never waits. */
  push(event: QueuedEvent): void {
    if (this.size >= this.options.maxQueued) this.dropOldest();
    this.queue.push(event);
    // A full batch goes out soon, but not on the caller's call stack.
    if (this.queue.length - this.head === this.options.maxBatch) soon(() => this.kick());
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
      await Promise.race([this.sending, new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())).unref?.())]);
    }
    const left = this.size;
    if (left > 0) {
      this.options.logger.error(`${left} events could not be delivered to Schematic before close; they are lost`);
      this.dropped += left;
      this.queue = [];
      this.head = 0;
      this.inFlight = null;
    }
    return this.stats;
  }

  private kick(): void {
    if (this.sending || this.size === 0) return;
    this.sending = this.pump().finally(() => {
      this.sending = null;
    });
  }

  private async pump(): Promise<void> {
    while (this.queue.length - this.head > 0) {
      const batch = this.queue.slice(this.head, this.head + this.options.maxBatch);
      this.head += batch.length;
      this.compact();
      this.inFlight = batch;
      try {
        await this.options.send(batch);
        this.delivered += batch.length;
        this.backoffAttempt = 0;
        this.inFlight = null;
      } catch (error) {
        this.inFlight = null;
        if (error instanceof ApiError && !error.retryable) {
          this.dropped += batch.length;
          this.options.logger.error(`Schematic refused ${batch.length} events (${error.message}); they are dropped`);
          continue;
        }
        // Back to the front, in order, to be tried again after a pause.
        this.queue.splice(this.head, 0, ...batch);
        this.retries++;
        await this.pause(error);
      }
    }
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
        `event queue is full (${this.options.maxQueued} events): dropped the ${this.droppedSinceWarning} oldest; raise maxQueuedEvents or check the connection to Schematic`,
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
