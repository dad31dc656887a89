import type { Logger } from '../../core/logger';

/** Why events were lost: no room in the queue, refused by the service, not formattable, still held at close, queued after close. */
export type DropCause = 'full' | 'refused' | 'unformattable' | 'undelivered' | 'afterClose';

const CAUSE_TEXT: Record<DropCause, string> = {
  full: 'dropped from a full queue',
  refused: 'refused by the service',
  unformattable: 'not formattable',
  undelivered: 'undelivered at close',
  afterClose: 'queued after close',
};

export interface DropLogOptions {
  logger: Logger;
  /** Who receives the events, as log lines name it (`Schematic`, `FeatBit`). */
  destination: string;
  /** The least time between two count lines of one flood of drops. */
  intervalMs: number;
}

/**
 * Every event an EventBuffer loses is counted here and reaches the log. Causes that come one batch at a time
 * (a refused batch, events that cannot be formatted) are logged where they happen and only counted here.
 * Causes that can come in floods (a full queue, events queued after close) are logged at once the first
 * time, then as one line per interval with how many since the last line — from a timer, so the last count of
 * a flood is logged even when no drop follows it. `closed()` logs the total lost since the start.
 * @internal
 */
export class DropLog {
  private readonly totals: Record<DropCause, number> = { full: 0, refused: 0, unformattable: 0, undelivered: 0, afterClose: 0 };
  private readonly unlogged: Partial<Record<DropCause, number>> = {};
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: DropLogOptions) {}

  /** All events lost so far. */
  get total(): number {
    let sum = 0;
    for (const cause of Object.keys(this.totals) as DropCause[]) sum += this.totals[cause];
    return sum;
  }

  /** Counts drops that were logged where they happened. */
  count(cause: DropCause, events: number): void {
    this.totals[cause] += events;
  }

  /**
   * Counts drops of a cause that can flood the log. `firstLine` is logged at once when no count line is due
   * (warn for a full queue, error after close); else the drop waits for the next count line.
   */
  flood(cause: 'full' | 'afterClose', events: number, firstLine: () => string): void {
    this.totals[cause] += events;
    if (this.timer !== null) {
      this.unlogged[cause] = (this.unlogged[cause] ?? 0) + events;
      return;
    }
    this.line(cause, firstLine());
    this.startWindow();
  }

  /**
   * At close: says how many events close() could not deliver (they are counted as lost), and the total lost
   * since the start when earlier drops add to it. Counts not yet logged are folded into that line.
   */
  closed(undelivered: number): void {
    this.stopWindow();
    for (const cause of Object.keys(this.unlogged) as DropCause[]) delete this.unlogged[cause];
    const earlier = this.total;
    this.totals.undelivered += undelivered;
    const { destination, logger } = this.options;
    const sinceStart = `${this.total} lost since start: ${this.breakdown()}`;
    if (undelivered > 0) logger.error(`${undelivered} events could not be delivered to ${destination} before close; they are lost${earlier > 0 ? ` (${sinceStart})` : ''}`);
    else if (earlier > 0) logger.warn(`events for ${destination}: ${sinceStart}`);
  }

  private breakdown(): string {
    return (Object.keys(this.totals) as DropCause[])
      .filter((cause) => this.totals[cause] > 0)
      .map((cause) => `${this.totals[cause]} ${CAUSE_TEXT[cause]}`)
      .join(', ');
  }

  private line(cause: 'full' | 'afterClose', message: string): void {
    // Events queued after close() are a bug in the app; a full queue is the service being away.
    if (cause === 'afterClose') this.options.logger.error(message);
    else this.options.logger.warn(message);
  }

  /** While the window is open, drops are counted; at its end their count is logged and, if there was one, another window opens. */
  private startWindow(): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      let logged = false;
      for (const cause of ['full', 'afterClose'] as const) {
        const events = this.unlogged[cause] ?? 0;
        if (events === 0) continue;
        delete this.unlogged[cause];
        logged = true;
        this.line(cause, this.countLine(cause, events));
      }
      if (logged) this.startWindow();
    }, this.options.intervalMs);
    // Logging must not keep the process alive.
    this.timer.unref?.();
  }

  private stopWindow(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private countLine(cause: 'full' | 'afterClose', events: number): string {
    const seconds = Math.round(this.options.intervalMs / 1000);
    const since = `in the last ${seconds} s (${this.totals[cause]} since start)`;
    return cause === 'full'
      ? `event queue for ${this.options.destination} still full: dropped ${events} more of the oldest events ${since}`
      : `${events} more events were queued after close() and are dropped ${since}`;
  }
}
