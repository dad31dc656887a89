import { lazy, type ReactNode, Suspense, useEffect, useState } from 'react';
import type { SnapshotJSON } from 'flagwire/server';
import { FlagStoreContext } from './context';
import { createFlagStore, EMPTY_SNAPSHOT } from './store';

// Loaded only when `endpoint` or `live` is used, so the values-only provider stays a few hundred bytes.
const LiveUpdater = lazy(() => import('./live'));

export interface FlagProviderProps {
  /** The server's `snapshot.toJSON()` for this request: rendered at once, on the server and on hydration. */
  snapshot: SnapshotJSON | null | undefined;
  /** The app's flags endpoint (returns `snapshot.toJSON()` for the session): revalidated on focus, reconnect and live notices, never on mount. */
  endpoint?: string;
  /** The app's live channel (a ws:// URL, or a path on this origin): a change notice revalidates `endpoint`. */
  live?: string;
  children?: ReactNode;
}

/**
 * Gives its children the flag values the server evaluated for this request. The first render uses them
 * directly: no request, no pending state, no flicker, the same markup as the server's.
 */
export function FlagProvider({ snapshot, endpoint, live, children }: FlagProviderProps) {
  const [store] = useState(() => createFlagStore(snapshot ?? EMPTY_SNAPSHOT));
  // The live updater mounts after hydration, so the server's markup and the first client render are the same
  // tree whatever props the two sides pass.
  const [hydrated, setHydrated] = useState(false);
  const wantsUpdates = Boolean(endpoint || live);
  useEffect(() => {
    if (wantsUpdates) setHydrated(true);
  }, [wantsUpdates]);
  // A new snapshot from the server (a navigation, a refresh) replaces the values.
  useEffect(() => {
    if (snapshot) store.set(snapshot);
  }, [snapshot, store]);
  return (
    <FlagStoreContext.Provider value={store}>
      {children}
      {wantsUpdates && hydrated ? (
        <Suspense fallback={null}>
          <LiveUpdater store={store} endpoint={endpoint} live={live} />
        </Suspense>
      ) : null}
    </FlagStoreContext.Provider>
  );
}
