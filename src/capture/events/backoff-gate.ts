import { ApiError } from '../../core/errors';
import type { Logger } from '../../core/logger';

const MAX_BACKOFF_MS = 30_000;

export interface BackoffGateOptions {
  /** The first pause after a failure; doubles with each failure in a row, up to 30 s. */
  initialDelayMs: number;
  random: () => number;
  logger: Logger;
}

/**
 * The pause that all of an EventBuffer's senders share after a failed send: while it lasts no batch is sent,
 * so an outage costs one probe per pause, not one per sender. Several sends that were in flight together and
 * fail together lengthen the pause once, not once each: a failure counts only when no pause began after its
 * send did (`since`).
 * @internal
 */
export class BackoffGate {
  private attempt = 0;
  private pauses = 0;
  private pause: Promise<void> | null = null;
  private end: (() => void) | null = null;

  constructor(private readonly options: BackoffGateOptions) {}

  /** Whether senders must wait. */
  get isShut(): boolean {
    return this.pause !== null;
  }

  /** Taken when a send begins, and handed back to `failed`. */
  get since(): number {
    return this.pauses;
  }

  /** Resolves when senders may send; `null` when they may now. */
  wait(): Promise<void> | null {
    return this.pause;
  }

  succeeded(): void {
    this.attempt = 0;
  }

  /**
   * After a failed send begun at `since`: pauses every sender — doubling from `initialDelayMs`, ±10%, up to 30 s,
   * or longer when the service asked (`Retry-After`) — unless a pause began after that send did.
   * @param capMs the longest pause (close() keeps pauses short to spend its deadline trying)
   */
  failed(error: unknown, since: number, capMs: number): void {
    if (since !== this.pauses || this.pause !== null) return;
    const asked = error instanceof ApiError ? error.retryAfterMs : null;
    const exponential = Math.min(this.options.initialDelayMs * 2 ** this.attempt, MAX_BACKOFF_MS) * (0.9 + 0.2 * this.options.random());
    this.attempt++;
    this.pauses++;
    const ms = Math.min(Math.max(asked ?? 0, exponential), capMs);
    this.options.logger.debug(`event batch failed (${(error as Error).message}); trying again in ${Math.round(ms)} ms`);
    this.pause = new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.open(), ms);
      // A pause must not keep the process alive; close() holds it open for its own deadline instead.
      timer.unref?.();
      this.end = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Ends the pause now (close() spends its deadline trying). */
  open(): void {
    const end = this.end;
    this.pause = null;
    this.end = null;
    end?.();
  }
}
