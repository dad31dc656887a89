import { configuredValue } from '../core/flag-defaults';
import { SNAPSHOT_VERSION } from '../core/payload';
import { FlagsSnapshot } from '../core/snapshot';
import type { FlagValue } from '../core/values';

export interface SnapshotFromEndpointOptions {
  /** The longest the request may take before defaults are served. @default 1000 */
  timeoutMs?: number;
  /** Values for flags the snapshot lacks (endpoint down, late, or the flag unknown). Unlisted flags are off. */
  flagDefaults?: Record<string, FlagValue>;
  fetch?: typeof globalThis.fetch;
}

/** Request headers that identify the visitor, forwarded so the endpoint evaluates for the same person. */
const FORWARDED = ['cookie', 'authorization'];

/**
 * This request's flags from the app's flags endpoint (evaluated by the full client on Node), for edge code
 * that cannot hold the client: middleware, edge route handlers. One request, bounded by `timeoutMs`; never
 * throws — on any failure the snapshot serves the defaults.
 */
export async function snapshotFromEndpoint(endpoint: string | URL, request: Request, options: SnapshotFromEndpointOptions = {}): Promise<FlagsSnapshot> {
  const defaults = options.flagDefaults ?? {};
  const defaultFor = (key: string) => configuredValue(defaults, key);
  const headers = new Headers({ accept: 'application/json' });
  for (const name of FORWARDED) {
    const value = request.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  try {
    const response = await (options.fetch ?? fetch)(new URL(endpoint, request.url), {
      headers,
      signal: AbortSignal.timeout(options.timeoutMs ?? 1000),
      cache: 'no-store',
    });
    const body: unknown = response.ok ? await response.json() : null;
    if (FlagsSnapshot.isJSON(body)) return FlagsSnapshot.fromJSON(body, { defaultFor });
  } catch {
    // Served below: defaults, so the request proceeds.
  }
  return FlagsSnapshot.fromJSON({ v: SNAPSHOT_VERSION, flags: {} }, { defaultFor });
}
