import type { Logger } from '../core/logger';
import { DEFAULT_REDIS_COMMAND_TIMEOUT_MS, redisTimeout } from './redis-store';
import type { ChangeEvent } from '../core/types';

/** The pub/sub half of a node-redis client: publishing, and a duplicate connection for subscribing. */
export interface RedisPubSub {
  publish(channel: string, message: string): Promise<unknown>;
  duplicate(): RedisSubscriber;
}

export interface RedisSubscriber {
  connect(): Promise<unknown>;
  subscribe(channel: string, listener: (message: string) => void): Promise<unknown>;
  quit(): Promise<unknown>;
  /** Closes the connection at once, without waiting for Redis (node-redis v4). */
  disconnect?(): Promise<unknown>;
  on?(event: 'error', listener: (error: Error) => void): unknown;
  on?(event: 'ready' | 'reconnecting' | 'end', listener: () => void): unknown;
  /** node-redis's "connected and answering" flag, when the client has one. */
  readonly isReady?: boolean;
}

interface Notice {
  origin: string;
  event: ChangeEvent;
  /** Set when the change came from outside the data stream (a webhook): listeners must drop what they cached. */
  invalidate?: boolean;
}

export function supportsPubSub(client: unknown): client is RedisPubSub {
  const c = client as Partial<RedisPubSub> | null;
  return typeof c?.publish === 'function' && typeof c?.duplicate === 'function';
}

/**
 * Change notices across instances over Redis pub/sub: what one instance learns (a DataStream push, a
 * webhook) every other instance hears, so their caches and live channels follow. Notices carry what
 * changed, never values; an instance ignores its own.
 */
export class RedisFanout {
  readonly origin = globalThis.crypto.randomUUID();
  private subscriber: RedisSubscriber | null = null;

  private readonly timeoutMs: number;

  constructor(
    private readonly client: RedisPubSub,
    private readonly channel: string,
    private readonly logger: Logger,
    /** `quitTimeoutMs`: how long `close()` waits for Redis to answer QUIT before dropping the connection. @default 1 s */
    { quitTimeoutMs = DEFAULT_REDIS_COMMAND_TIMEOUT_MS }: { quitTimeoutMs?: number } = {},
  ) {
    this.timeoutMs = quitTimeoutMs;
  }

  publish(event: ChangeEvent, { invalidate = false }: { invalidate?: boolean } = {}): void {
    const notice: Notice = { origin: this.origin, event, ...(invalidate ? { invalidate } : {}) };
    redisTimeout(this.client.publish(this.channel, JSON.stringify(notice)), this.timeoutMs, 'PUBLISH').catch((error: Error) =>
      this.logger.warn(`change notice not published: ${error.message}`),
    );
  }

  /**
   * Listens for other instances' notices. `onLiveChange` hears whether notices can reach this instance:
   * `true` once subscribed (and again after each reconnect: node-redis resubscribes before it is ready),
   * `false` when the connection drops, since notices published meanwhile are lost.
   */
  async subscribe(onChange: (event: ChangeEvent, invalidate: boolean) => void, onLiveChange?: (live: boolean) => void): Promise<void> {
    const subscriber = this.client.duplicate();
    // Kept before connecting, so close() also ends a subscriber still waiting to connect.
    this.subscriber = subscriber;
    subscriber.on?.('error', (error) => this.logger.debug(`change subscriber: ${error.message}`));
    await subscriber.connect();
    if (this.subscriber !== subscriber) return; // closed while connecting
    await subscriber.subscribe(this.channel, (message) => {
      try {
        const notice = JSON.parse(message) as Notice;
        if (notice.origin !== this.origin && notice.event && typeof notice.event.type === 'string') onChange(notice.event, notice.invalidate === true);
      } catch {
        this.logger.warn('unreadable change notice ignored');
      }
    });
    if (!onLiveChange || this.subscriber !== subscriber) return;
    subscriber.on?.('ready', () => onLiveChange(true));
    subscriber.on?.('reconnecting', () => onLiveChange(false));
    subscriber.on?.('end', () => onLiveChange(false));
    subscriber.on?.('error', () => {
      if (subscriber.isReady === false) onLiveChange(false);
    });
    onLiveChange(true);
  }

  /** Ends the subscriber: QUIT when Redis answers in time, otherwise the connection is dropped. Never waits past the bound. */
  async close(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = null;
    if (!subscriber) return;
    try {
      await redisTimeout(subscriber.quit(), this.timeoutMs, 'QUIT');
    } catch (error) {
      this.logger.debug(`change subscriber closed without QUIT: ${(error as Error).message}`);
      await redisTimeout(subscriber.disconnect?.() ?? Promise.resolve(), this.timeoutMs, 'disconnect').catch(() => undefined);
    }
  }
}

export function changesChannel(keyPrefix: string): string {
  return `${keyPrefix}changes`;
}
