import { useCallback, useEffect, useState } from 'react';
import { FlagProvider, type FlagProviderProps } from 'flagwire/react';
import type { SnapshotJSON } from 'flagwire/server';
import { LiveUpdater } from './live-updater';
import { EMPTY_SNAPSHOT } from '../browser/flag-store';

export interface LiveFlagProviderProps extends FlagProviderProps {
  /** The app's flags endpoint (returns `snapshot.toJSON()` for the session): revalidated on focus, reconnect and live notices, never on mount. */
  endpoint: string;
  /** The app's live channel (a ws:// URL, or a path on this origin): a change notice revalidates `endpoint`. */
  live?: string;
  /** The same over server-sent events (Next's `flags.liveEndpoint`, on any deployment): a notice revalidates `endpoint`. */
  events?: string;
}

/**
 * `FlagProvider` kept current: the server's snapshot on the first render (no request, no flicker, the same
 * markup as the server's), then SWR revalidation of `endpoint` and, with `live`, the app's live channel.
 * It is `flagwire/react`'s provider underneath, so the hooks read it as they read that one.
 */
export function LiveFlagProvider({ snapshot, exposures, endpoint, live, events, children }: LiveFlagProviderProps) {
  // An answer of the endpoint counts only over the server snapshot it followed: a newer one from the server
  // (a navigation, a refresh) wins over it.
  const [fetched, setFetched] = useState<{ over: FlagProviderProps['snapshot']; value: SnapshotJSON } | null>(null);
  const current = fetched !== null && fetched.over === snapshot ? fetched.value : snapshot;
  // The updater mounts after hydration, so the server's markup and the first client render are the same tree.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const onSnapshot = useCallback((value: SnapshotJSON) => setFetched({ over: snapshot, value }), [snapshot]);
  return (
    <FlagProvider snapshot={current} exposures={exposures}>
      {children}
      {hydrated ? <LiveUpdater current={current ?? EMPTY_SNAPSHOT} endpoint={endpoint} live={live} events={events} onSnapshot={onSnapshot} /> : null}
    </FlagProvider>
  );
}
