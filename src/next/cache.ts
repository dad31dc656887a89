// With the extension: `next` has no exports map, and Node's ESM loader resolves no bare subpath without one.
import { unstable_cache } from 'next/cache.js';
import { type EvaluationContext, type FlagsClient, FlagsSnapshot, type SnapshotJSON } from '../server';

/** The cache tag flagwire's Next helpers put on what they cache; the webhook route revalidates it. */
export const FLAGWIRE_CACHE_TAG = 'flagwire';

/** The same context always gives the same cache key, whatever order its keys were written in. */
export function stableKey(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableKey).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableKey(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const DEFAULT_REVALIDATE_SECONDS = 60;

/** Thrown inside the cached function to keep an answer out of the cache. */
class NotReady extends Error {}

interface CachedSnapshot {
  all: SnapshotJSON;
  clientKeys: string[];
}

export interface CachedFlagsOptions {
  /**
   * Seconds before a cached evaluation is refreshed without a webhook: the safety net for flag changes no
   * webhook announces (the embedded default's file edits, a missed delivery). `false`: only the webhook.
   * @default 60
   */
  revalidate?: number | false;
  tag?: string;
}

/**
 * Flags for a fixed context (not the visitor's: nothing here reads cookies), evaluated once and kept in
 * Next's data cache under flagwire's tag, so a static or ISR page can read them and stay static. The
 * webhook route revalidates the tag when flags change.
 */
export function cachedFlags(client: FlagsClient, options: CachedFlagsOptions = {}) {
  const evaluate = unstable_cache(
    async (contextKey: string): Promise<CachedSnapshot> => {
      const snapshot = await client.snapshot(JSON.parse(contextKey) as EvaluationContext);
      // Defaults served while flags could not be loaded are not worth keeping: throwing keeps them out of the cache.
      if (client.status !== 'ready') throw new NotReady();
      // Every flag is cached (server code reads them all); which ones the browser may see goes along.
      return { all: snapshot.toJSON(snapshot.keys()), clientKeys: Object.keys(snapshot.toJSON().flags) };
    },
    ['flagwire-snapshot'],
    { tags: [options.tag ?? FLAGWIRE_CACHE_TAG], revalidate: options.revalidate ?? DEFAULT_REVALIDATE_SECONDS },
  );
  return async (context: EvaluationContext = {}): Promise<FlagsSnapshot> => {
    try {
      const cached = await evaluate(stableKey(context));
      return FlagsSnapshot.fromJSON(cached.all, { clientKeys: cached.clientKeys });
    } catch (error) {
      // Anything else is Next's own control flow (dynamic usage, a postponed render): it must go through.
      if (!(error instanceof NotReady)) throw error;
      // Never throws into the page: an uncached answer (defaults while the client cannot answer).
      return client.snapshot(context);
    }
  };
}

/** `fetch` with flagwire's cache tag, for the client's `fetch` option in a Next app: its API requests are then tagged too. */
export const taggedFetch: typeof fetch = (input, init) =>
  fetch(input, { ...init, next: { ...(init as { next?: object } | undefined)?.next, tags: [FLAGWIRE_CACHE_TAG] } } as RequestInit);
