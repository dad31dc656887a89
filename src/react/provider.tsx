import { type ReactNode, useEffect, useState } from 'react';
import type { SnapshotJSON } from 'flagwire/server';
import { FlagStoreContext } from './context';
import { createFlagStore, EMPTY_SNAPSHOT } from '../browser/flag-store';
import { exposureReporter } from '../browser/exposure-reporter';

export interface FlagProviderProps {
  /** The server's `snapshot.toJSON()` for this request: rendered at once, on the server and on hydration. */
  snapshot: SnapshotJSON | null | undefined;
  /**
   * The app's exposures endpoint (`flagsExposuresEndpoint` in Express, `flags.exposuresEndpoint` in Next): each
   * flag a component shows through `useFlag`, `useFlagDetail` or `useEntitlement` is reported there once per page
   * view. Read when the provider mounts. @default none: nothing is reported
   */
  exposures?: string;
  children?: ReactNode;
}

/**
 * Gives its children the flag values the server evaluated for this request. The first render uses them
 * directly: no request, no pending state, no flicker, the same markup as the server's. To keep them current
 * (revalidation, live updates), use `LiveFlagProvider` from `flagwire/react/live`: it is kept out of this
 * entry so that an app that does not revalidate never needs `swr`.
 */
export function FlagProvider({ snapshot, exposures, children }: FlagProviderProps) {
  const [store] = useState(() => {
    const created = createFlagStore(snapshot ?? EMPTY_SNAPSHOT);
    if (exposures) created.shown = exposureReporter(exposures, created.get(), created.get);
    return created;
  });
  // A new snapshot (from the server on a navigation or refresh, or from LiveFlagProvider) replaces the values.
  useEffect(() => {
    if (snapshot) store.set(snapshot);
  }, [snapshot, store]);
  return <FlagStoreContext.Provider value={store}>{children}</FlagStoreContext.Provider>;
}
