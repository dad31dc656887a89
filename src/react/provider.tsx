import { type ReactNode, useEffect, useState } from 'react';
import type { SnapshotJSON } from 'flagwire/server';
import { FlagStoreContext } from './context';
import { createFlagStore, EMPTY_SNAPSHOT } from '../browser/flag-store';

export interface FlagProviderProps {
  /** The server's `snapshot.toJSON()` for this request: rendered at once, on the server and on hydration. */
  snapshot: SnapshotJSON | null | undefined;
  children?: ReactNode;
}

/**
 * Gives its children the flag values the server evaluated for this request. The first render uses them
 * directly: no request, no pending state, no flicker, the same markup as the server's. To keep them current
 * (revalidation, live updates), use `LiveFlagProvider` from `flagwire/react/live`: it is kept out of this
 * entry so that an app that does not revalidate never needs `swr`.
 */
export function FlagProvider({ snapshot, children }: FlagProviderProps) {
  const [store] = useState(() => createFlagStore(snapshot ?? EMPTY_SNAPSHOT));
  // A new snapshot (from the server on a navigation or refresh, or from LiveFlagProvider) replaces the values.
  useEffect(() => {
    if (snapshot) store.set(snapshot);
  }, [snapshot, store]);
  return <FlagStoreContext.Provider value={store}>{children}</FlagStoreContext.Provider>;
}
