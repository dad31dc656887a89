import { useEffect, useSyncExternalStore } from 'react';
import type { BrowserFlag, FlagEntitlement, FlagKey, FlagValue, FlagValueFor, SnapshotJSON, VariationOf } from 'flagwire/server';
import { useFlagStore } from './context';
import { flagOf } from '../browser/flag-store';
import { valueOrDefault, valueOrFalse } from '../browser/values';

/** @param shows the flag the hook's component shows, reported as an exposure once it has rendered (see FlagProvider's `exposures`) */
function useSelected<T>(hook: string, select: (snapshot: SnapshotJSON) => T, shows?: string): T {
  const store = useFlagStore(hook);
  const read = () => select(store.get());
  // The server snapshot is the same store: the first client render reads exactly what the server rendered.
  const selected = useSyncExternalStore(store.subscribe, read, read);
  // After the render is committed, not during it: a render React throws away (StrictMode's second one, a
  // suspended tree) showed nothing. The store reports each flag and value once per page view.
  useEffect(() => {
    if (shows !== undefined) store.shown?.(shows);
  }, [store, shows, selected]);
  return selected;
}

/**
 * What `useFlag(key)` returns without a default: a boolean for an on/off flag (and for any key while flags
 * are not registered); for a registered flag with variations, its value, or `false` when the page was not
 * sent the flag.
 */
export type FlagRead<K extends string> = FlagValue extends FlagValueFor<K>
  ? boolean
  : [FlagValueFor<K>] extends [boolean]
    ? boolean
    : FlagValueFor<K> | false;

/**
 * A flag's value for this user, as the server evaluated it.
 *
 * - `useFlag(key)`: whether an on/off flag is on; a flag the page was not sent reads as `false`. A registered
 *   flag with variations gives its value. Flags are read by their value as sent, so while flags are not
 *   registered (every key typed `boolean`), read a flag with variations with a default.
 * - `useFlag(key, defaultValue)`: the value when it has the type of `defaultValue` (a string for a string, an
 *   object, array or null for one of those), else `defaultValue`, which is also what a flag the page was not
 *   sent reads as. Typed by the registered flag, or by the default.
 */
export function useFlag<K extends FlagKey>(key: K): FlagRead<K>;
export function useFlag<K extends FlagKey, D extends FlagValueFor<K>>(key: K, defaultValue: D): VariationOf<K, D>;
export function useFlag(key: FlagKey, defaultValue?: FlagValue): FlagValue {
  return useSelected('useFlag', (s) => (defaultValue === undefined ? valueOrFalse(flagOf(s, key)) : valueOrDefault(flagOf(s, key), defaultValue)), key);
}

/** A flag as the server sent it: its value, its variation (for flags with variations) and, for limited features, its entitlement. */
export function useFlagDetail(key: FlagKey): BrowserFlag | undefined {
  return useSelected('useFlagDetail', (s) => flagOf(s, key), key);
}

/** A limited feature's allocation, usage and whether usage is exhausted; `null` for a plain flag. */
export function useEntitlement(key: FlagKey): FlagEntitlement | null {
  return useSelected('useEntitlement', (s) => flagOf(s, key)?.entitlement ?? null, key);
}

const valuesBySnapshot = new WeakMap<SnapshotJSON, Readonly<Record<string, FlagValue>>>();

/** Every flag the page was sent, as `{ key: value }` (one object per snapshot, so renders stay stable). */
export function useFlags(): Readonly<Record<string, FlagValue>> {
  return useSelected('useFlags', (s) => {
    let values = valuesBySnapshot.get(s);
    if (!values) {
      values = Object.fromEntries(Object.entries(s.flags).map(([key, flag]) => [key, flag.value]));
      valuesBySnapshot.set(s, values);
    }
    return values;
  });
}
