import type { CheckFlagResult } from '../core/types';
import { RecencyMap } from '../store/recency-map';

/**
 * Where API check results are cached. Same shape as Schematic's SDK `CacheProvider`, so its `LocalCache`
 * and `RedisCacheProvider` plug in unchanged; flagwire's own `LocalCache` is the default.
 */
export interface CacheProvider<T> {
  get(key: string): Promise<T | null | undefined> | T | null | undefined;
  set(key: string, value: T, ttlOverrideMs?: number): Promise<void> | void;
}

export const DEFAULT_CACHE_MAX_ITEMS = 1000;
export const DEFAULT_CACHE_TTL_MS = 5000;

/** An in-process LRU with a TTL: 1000 entries for 5 s by default, as in Schematic's SDK. */
export class LocalCache<T extends object = CheckFlagResult> implements CacheProvider<T> {
  private readonly cache: RecencyMap<string, T>;

  constructor({ maxItems = DEFAULT_CACHE_MAX_ITEMS, ttl = DEFAULT_CACHE_TTL_MS }: { maxItems?: number; ttl?: number } = {}) {
    this.cache = new RecencyMap(Math.max(1, maxItems), ttl);
  }

  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  set(key: string, value: T, ttlOverrideMs?: number): void {
    this.cache.set(key, value, ttlOverrideMs);
  }

  clear(): void {
    this.cache.clear();
  }
}
