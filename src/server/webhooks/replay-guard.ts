import type { ReplayGuard } from './signature';

/** Deliveries seen, in process memory: enough for one instance. */
export class MemoryReplayGuard implements ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async firstSighting(id: string, ttlSeconds: number): Promise<boolean> {
    const now = this.now();
    if (this.seen.size > 10_000) for (const [key, expires] of this.seen) if (expires <= now) this.seen.delete(key);
    const expires = this.seen.get(id);
    if (expires !== undefined && expires > now) return false;
    this.seen.set(id, now + ttlSeconds * 1000);
    return true;
  }
}

/** The `SET … NX EX` half of a node-redis client. */
export interface RedisSetNx {
  set(key: string, value: string, options: { NX: true; EX: number }): Promise<string | null>;
}

/** Deliveries seen, in Redis: a replay is refused by every instance, whichever one it lands on. */
export class RedisReplayGuard implements ReplayGuard {
  constructor(
    private readonly client: RedisSetNx,
    private readonly prefix = 'schematic:',
  ) {}

  async firstSighting(id: string, ttlSeconds: number): Promise<boolean> {
    return (await this.client.set(`${this.prefix}webhook-delivery:${id}`, '1', { NX: true, EX: Math.max(1, Math.ceil(ttlSeconds)) })) === 'OK';
  }
}
