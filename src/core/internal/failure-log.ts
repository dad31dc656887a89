import type { Logger } from '../logger';

const SUMMARY_INTERVAL_MS = 10_000;

/**
 * Failed checks, logged without flooding the log during an outage: the first, then a count every 10 s. A check
 * that fails serves defaults; this is how the app hears of it.
 */
export class FailureLog {
  private sinceLog = 0;
  private lastLog = Number.NEGATIVE_INFINITY;

  constructor(private readonly logger: Logger) {}

  report(what: string, error: unknown): void {
    this.sinceLog++;
    const now = Date.now();
    if (now - this.lastLog < SUMMARY_INTERVAL_MS) return;
    const count = this.sinceLog;
    this.sinceLog = 0;
    this.lastLog = now;
    this.logger.error(`${what} failed${count > 1 ? ` (and ${count - 1} more in the last 10 s)` : ''}; serving defaults: ${(error as Error)?.message ?? error}`);
  }
}
