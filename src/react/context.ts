import { createContext, useContext } from 'react';
import type { FlagStore } from '../browser/flag-store';

/** @internal Not exported: components reach the store only through the hooks. */
export const FlagStoreContext = createContext<FlagStore | null>(null);

export function useFlagStore(hook: string): FlagStore {
  const store = useContext(FlagStoreContext);
  if (!store) throw new Error(`[flagwire] ${hook} must be used inside <FlagProvider> (or <TestFlagProvider> in tests).`);
  return store;
}
