import type { SnapshotJSON } from 'flagwire/server';
import { flagOf } from './flag-store';

/** The most exposures one report carries (the endpoint refuses more). */
const MAX_PER_REPORT = 100;

interface Reported {
  flag: string;
  value: unknown;
  variation: string | null;
}

/**
 * Reports the flags components show to the app's exposures endpoint (`flagsExposuresEndpoint`, Next's
 * `flags.exposuresEndpoint`): each flag and value once per page view, however often it is rendered, revalidated
 * or mounted (React's StrictMode mounts twice). The page view is the one the server's payload names (`pv`), so a
 * value the server counted when it rendered it is not counted again; a page without one (a static page) gets an id
 * of its own, once. Reports go out together after the render that showed them, as `keepalive` requests (which
 * outlive the page); one that fails is not retried (the next page view counts anew). Kept small: it is part of
 * the provider's bundle.
 * @returns what the hooks call after a component showed a flag
 */
export function exposureReporter(endpoint: string, initial: SnapshotJSON, current: () => SnapshotJSON): (key: string) => void {
  const pageView = initial.pv ?? Math.random().toString(36).slice(2) + Date.now().toString(36);
  const seen = new Set<string>();
  const queued: Reported[] = [];
  const send = (): void => {
    const exposures = queued.splice(0, MAX_PER_REPORT);
    fetch(endpoint, { method: 'POST', body: JSON.stringify({ pageView, exposures }), headers: { 'content-type': 'application/json' }, keepalive: true }).catch(() => {});
    if (queued.length > 0) send();
  };
  return (key) => {
    const flag = flagOf(current(), key);
    if (flag === undefined) return;
    const variation = flag.variation ?? null;
    const id = `${key}\u0000${variation ?? `=${JSON.stringify(flag.value)}`}`;
    if (seen.has(id)) return;
    seen.add(id);
    if (queued.push({ flag: key, value: flag.value, variation }) === 1) setTimeout(send);
  };
}
