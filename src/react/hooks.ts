import { useSyncExternalStore } from 'react';
import type { BrowserFlag, FlagEntitlement, FlagKey, SnapshotJSON } from 'flagwire/server';
import { useFlagStore } from './context';
import { flagOf } from './store';

function useSelected<T>(hook: string, select: (snapshot: SnapshotJSON) => T): T {
  const store = useFlagStore(hook);
  const read = () => select(store.get());
  // The server snapshot is the same store: the first client render reads exactly what the server rendered.
  return useSyncExternalStore(store.subscribe, read, read);
}

/** Whether a flag is on for this user. A flag the page was not sent reads as `defaultValue` (default `false`). */
export function useFlag(key: FlagKey, defaultValue = false): boolean {
  return useSelected('useFlag', (s) => flagOf(s, key)?.value ?? defaultValue);
}

/** A flag as the server sent it: its value and, for limited features, its entitlement. */
export function useFlagDetail(key: FlagKey): BrowserFlag | undefined {
  return useSelected('useFlagDetail', (s) => flagOf(s, key));
}

/** A limited feature's allocation, usage and whether usage is exhausted; `null` for a plain flag. */
export function useEntitlement(key: FlagKey): FlagEntitlement | null {
  return useSelected('useEntitlement', (s) => flagOf(s, key)?.entitlement ?? null);
}

const valuesBySnapshot = new WeakMap<SnapshotJSON, Readonly<Record<string, boolean>>>();

/** Every flag the page was sent, as `{ key: value }` (one object per snapshot, so renders stay stable). */
export function useFlags(): Readonly<Record<string, boolean>> {
  return useSelected('useFlags', (s) => {
    let values = valuesBySnapshot.get(s);
    if (!values) {
      values = Object.fromEntries(Object.entries(s.flags).map(([key, flag]) => [key, flag.value]));
      valuesBySnapshot.set(s, values);
    }
    return values;
  });
}
