import type { RedisPubSub, RedisSubscriber } from '../../src/store/redis-fanout';
import type { RedisClient } from '../../src/store/redis-store';

/**
 * A node-redis stand-in held in memory, with the faults a real Redis shows: `hung` (connected, then the
 * server paused: every command is queued and never settles) and `failing` (every command rejects).
 * With `readiness`, it carries node-redis's `isReady`, false whenever it is not `up`.
 */
export class FakeRedis implements RedisClient, RedisPubSub {
  readonly data = new Map<string, string>();
  state: 'up' | 'hung' | 'failing' = 'up';
  /** Subscribers handed out by `duplicate()`, to see whether they were closed. */
  readonly subscribers: { quitCalled: boolean; disconnected: boolean }[] = [];
  declare readonly isReady?: boolean;

  constructor({ readiness = true }: { readiness?: boolean } = {}) {
    if (readiness) Object.defineProperty(this, 'isReady', { get: () => this.state === 'up', enumerable: true });
  }

  private run<T>(work: () => T): Promise<T> {
    if (this.state === 'hung') return new Promise<T>(() => {});
    if (this.state === 'failing') return Promise.reject(new Error('The client is closed'));
    return Promise.resolve().then(work);
  }

  get(key: string): Promise<string | null> {
    return this.run(() => this.data.get(key) ?? null);
  }

  set(key: string, value: string): Promise<unknown> {
    return this.run(() => this.data.set(key, value) && 'OK');
  }

  setEx(key: string, _seconds: number, value: string): Promise<unknown> {
    return this.set(key, value);
  }

  del(key: string | string[]): Promise<unknown> {
    return this.run(() => [key].flat().filter((k) => this.data.delete(k)).length);
  }

  async *scanIterator(options: { MATCH: string; COUNT: number }): AsyncIterable<string> {
    const pattern = new RegExp(`^${options.MATCH.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    const keys = await this.run(() => [...this.data.keys()].filter((k) => pattern.test(k)));
    yield* keys;
  }

  publish(_channel: string, _message: string): Promise<unknown> {
    return this.run(() => 1);
  }

  duplicate(): RedisSubscriber {
    const seen = { quitCalled: false, disconnected: false };
    this.subscribers.push(seen);
    return {
      connect: () => this.run(() => undefined),
      subscribe: () => this.run(() => undefined),
      quit: () => {
        seen.quitCalled = true;
        return this.run(() => 'OK');
      },
      disconnect: () => {
        seen.disconnected = true;
        return Promise.resolve();
      },
    } as RedisSubscriber;
  }
}

/** Settles within `ms`, or reports that it did not: how a test tells a hang from an answer without waiting forever. */
export function settledWithin<T>(promise: Promise<T>, ms: number): Promise<'resolved' | 'rejected' | 'pending'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    promise.then(
      () => 'resolved' as const,
      () => 'rejected' as const,
    ),
    new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), ms))),
  ]).finally(() => clearTimeout(timer));
}
