import { type FeatBitDataSyncOptions, FeatBitDataSync } from '../../src/sources/featbit/data-sync-client';
import { FeatBitStore } from '../../src/sources/featbit/featbit-store';
import type { FeatBitTestServer } from '../support/featbit-server';

/** Values as they happen, to be awaited one by one: `next()` gives the oldest not yet taken. */
export class Inbox<T> {
  readonly all: T[] = [];
  private taken = 0;
  private waiters: ((value: T) => void)[] = [];

  push(value: T): void {
    this.all.push(value);
    const waiter = this.waiters.shift();
    if (waiter) {
      this.taken++;
      waiter(value);
    }
  }

  next(): Promise<T> {
    if (this.taken < this.all.length) return Promise.resolve(this.all[this.taken++] as T);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The next value that passes `test`, skipping the others. */
  async until(test: (value: T) => boolean): Promise<T> {
    for (;;) {
      const value = await this.next();
      if (test(value)) return value;
    }
  }
}

export interface LogLine {
  level: string;
  message: string;
}

/** A sync client on the test server, with everything it reports collected. */
export function startSync(server: FeatBitTestServer, overrides: Partial<FeatBitDataSyncOptions> = {}) {
  const log = new Inbox<LogLine>();
  const record = (level: string) => (message: string) => log.push({ level, message });
  const logger = { error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug') };
  const changes = new Inbox<readonly string[]>();
  const connected = new Inbox<boolean>();
  let markRejected!: () => void;
  const rejected = new Promise<void>((resolve) => (markRejected = resolve));
  const store = new FeatBitStore(logger);
  const sync = new FeatBitDataSync({
    envSecret: server.secret,
    streamingUrl: server.url,
    pollingUrl: null,
    store,
    logger,
    onChange: (keys) => changes.push(keys),
    onConnectedChange: (value) => connected.push(value),
    onRejected: markRejected,
    ...overrides,
  });
  sync.start();
  return { sync, store, log, changes, connected, rejected };
}

/** The delay a reconnect log line announces. */
export function announcedDelay(line: LogLine): number | null {
  const match = /(?:reconnecting|retrying) in (\d+) ms/.exec(line.message);
  return match ? Number(match[1]) : null;
}
