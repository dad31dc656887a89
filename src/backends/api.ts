import { type CacheProvider, LocalCache } from '../api/check-cache';
import { type CheckFlagResponseData, toCheckResult } from '../api/check-response';
import type { ApiRequester } from '../api/api-requester';
import { schematicApi } from '../api/schematic-requesters';
import { defaultResult } from '../core/default-result';
import type { Backend, PartsHost } from '../core/parts';
import { wirePreflight } from '../core/preflight';
import { REASON_FLAG_DEFAULT, REASON_FLAG_NOT_FOUND } from '../core/reasons';
import type { FlagResults } from '../core/results';
import type { CheckFlagOptions, CheckFlagResult, EvaluationContext } from '../core/types';

function isCheckResult(value: unknown): value is CheckFlagResult {
  return typeof value === 'object' && value !== null && typeof (value as CheckFlagResult).value === 'boolean' && typeof (value as CheckFlagResult).reason === 'string';
}

/** The context as the API takes it: only the parts that are there. */
export function contextBody(context: EvaluationContext): Record<string, unknown> {
  return {
    ...(context?.company && Object.keys(context.company).length > 0 ? { company: context.company } : {}),
    ...(context?.user && Object.keys(context.user).length > 0 ? { user: context.user } : {}),
  };
}

/**
 * Schematic's REST API as a backend: checks over `POST /flags/{key}/check`, one `POST /flags/check` per
 * snapshot, behind a short-lived cache. Alone it is API mode; behind DataStream or Redis it answers what
 * in-process evaluation cannot.
 */
export class ApiBackend implements Backend {
  private readonly api: ApiRequester;
  private readonly caches: readonly CacheProvider<unknown>[];
  private readonly bulkCaches: readonly CacheProvider<{ results: CheckFlagResult[] }>[];

  /** @param ownsStatus false when it stands behind another backend, which decides the client's status. */
  constructor(
    private readonly host: PartsHost,
    { ownsStatus = true }: { ownsStatus?: boolean } = {},
  ) {
    const { options } = host;
    this.api = schematicApi(options);
    this.caches = options.cacheProviders?.flagChecks ?? [new LocalCache<CheckFlagResult>()];
    // Snapshots cache the bulk answer per context in the same kind of store.
    this.bulkCaches = this.caches.length > 0 ? [new LocalCache<{ results: CheckFlagResult[] }>()] : [];
    if (ownsStatus) host.setStatus('ready');
  }

  async whenReady(): Promise<void> {}

  async check(context: EvaluationContext, key: string, options: CheckFlagOptions | undefined, signal: AbortSignal): Promise<CheckFlagResult> {
    const preflight = wirePreflight(options);
    // Preflight checks depend on the usage asked about: never cached.
    const cacheKey = preflight === null ? JSON.stringify({ evalCtx: context, key }) : null;
    if (cacheKey !== null) {
      for (const cache of this.caches) {
        const hit = await cache.get(cacheKey);
        // Whatever a shared cache holds is checked before it is trusted.
        if (isCheckResult(hit)) return hit;
      }
    }
    const data = await this.api.call<CheckFlagResponseData | undefined>({
      method: 'POST',
      path: `/flags/${encodeURIComponent(key)}/check`,
      body: { ...contextBody(context), ...(preflight ? { preflight } : {}) },
      signal,
    });
    if (!data || typeof data.value !== 'boolean') return defaultResult(key, this.host.defaultFor(key, options), REASON_FLAG_DEFAULT);
    const result = toCheckResult(data, key);
    if (cacheKey !== null) await this.remember(this.caches, cacheKey, result);
    return result;
  }

  async results(context: EvaluationContext, keys: readonly string[] | undefined, signal: AbortSignal): Promise<FlagResults> {
    const list = await this.bulk(context, keys, signal);
    const byKey = new Map(list.map((r) => [r.flagKey, r]));
    return {
      keys: () => [...byKey.keys()],
      result: (key) => byKey.get(key),
      clientKeys: this.host.options.clientFlags,
      missingReason: REASON_FLAG_NOT_FOUND,
    };
  }

  /** A webhook says something changed: cached check results may be wrong now, so they go. */
  async invalidate(): Promise<void> {
    for (const cache of [...this.caches, ...this.bulkCaches]) (cache as { clear?: () => void }).clear?.();
  }

  async close(): Promise<void> {}

  /** One `POST /flags/check` for the context: the whole flag set, cached briefly. */
  private async bulk(context: EvaluationContext, keys: readonly string[] | undefined, signal: AbortSignal): Promise<CheckFlagResult[]> {
    const cacheKey = JSON.stringify({ evalCtx: context });
    for (const cache of this.bulkCaches) {
      const hit = await cache.get(cacheKey);
      // A cached set serves unless a requested key is missing from it.
      if (hit && (!keys || keys.every((k) => hit.results.some((r) => r.flagKey === k)))) return hit.results;
    }
    const data = await this.api.call<{ flags?: CheckFlagResponseData[] } | undefined>({ method: 'POST', path: '/flags/check', body: contextBody(context), signal });
    const results = (data?.flags ?? []).filter((f) => f && typeof f.flag === 'string').map((f) => toCheckResult(f, f.flag));
    await this.remember(this.bulkCaches, cacheKey, { results });
    // The fresh answers also serve later single checks of the same context.
    for (const result of results) await this.remember(this.caches, JSON.stringify({ evalCtx: context, key: result.flagKey }), result);
    return results;
  }

  private async remember<T>(caches: readonly CacheProvider<T>[], key: string, value: T): Promise<void> {
    for (const cache of caches) {
      try {
        await cache.set(key, value);
      } catch (error) {
        this.host.options.logger.warn(`cache write failed: ${(error as Error).message}`);
      }
    }
  }
}
