import { FlagwireError } from '../core/errors';
import type { ReplayGuard } from './signature';
import { checkPositiveInteger } from './webhook-config';
import { rejectAfter } from '../core/within';

/** Deliveries claimed, in process memory: enough for one instance. */
export class MemoryReplayGuard implements ReplayGuard {
  private readonly claimed = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  // No await before the map is written, so of two concurrent claims of one id exactly one wins.
  async claim(id: string, untilMs: number): Promise<boolean> {
    const now = this.now();
    if (this.claimed.size > 10_000) for (const [key, until] of this.claimed) if (until < now) this.claimed.delete(key);
    const until = this.claimed.get(id);
    if (until !== undefined && until >= now) return false;
    this.claimed.set(id, untilMs);
    return true;
  }

  async release(id: string): Promise<void> {
    this.claimed.delete(id);
  }
}

/** The `SET … NX PX` and `DEL` commands of a node-redis client. */
export interface ReplayGuardRedis {
  set(key: string, value: string, options: { NX: true; PX: number }): Promise<string | null>;
  del(key: string): Promise<unknown>;
}

export interface RedisReplayGuardOptions {
  /** How long a Redis command may take before the delivery is answered 503 (so the sender retries). @default 2000 */
  timeoutMs?: number;
  /** The clock, in ms. @default Date.now */
  now?: () => number;
}

export const DEFAULT_REPLAY_GUARD_TIMEOUT_MS = 2000;
// Redis expires keys on its own clock; a second more keeps a claim alive to the end of the window.
const CLOCK_MARGIN_MS = 1000;

/** Rejects when `work` has not settled within `ms`, so a Redis that does not answer cannot hold a webhook. */
function deadline<T>(work: Promise<T>, ms: number, command: string): Promise<T> {
  return rejectAfter(work, ms, () => new FlagwireError('api_error', `RedisReplayGuard: Redis did not answer ${command} within ${ms} ms`));
}

/** Deliveries claimed, in Redis: a replay is refused by every instance, whichever one it lands on. */
export class RedisReplayGuard implements ReplayGuard {
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: ReplayGuardRedis,
    private readonly prefix = 'schematic:',
    options: RedisReplayGuardOptions = {},
  ) {
    this.timeoutMs = checkPositiveInteger('timeoutMs', options.timeoutMs, DEFAULT_REPLAY_GUARD_TIMEOUT_MS);
    this.now = options.now ?? Date.now;
  }

  private key(id: string): string {
    return `${this.prefix}webhook-delivery:${id}`;
  }

  async claim(id: string, untilMs: number): Promise<boolean> {
    const px = Math.max(1, Math.ceil(untilMs - this.now()) + CLOCK_MARGIN_MS);
    return (await deadline(this.client.set(this.key(id), '1', { NX: true, PX: px }), this.timeoutMs, 'SET NX')) === 'OK';
  }

  async release(id: string): Promise<void> {
    await deadline(this.client.del(this.key(id)), this.timeoutMs, 'DEL');
  }
}
