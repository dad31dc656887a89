import type { BrowserFlag, SnapshotJSON } from 'flagwire/server';

/** The browser's flag values: what the server serialised, replaced whole when fresh values arrive. */
export interface FlagStore {
  get(): SnapshotJSON;
  set(next: SnapshotJSON): void;
  subscribe(listener: () => void): () => void;
  /** Told after a component showed a flag (see exposureReporter); absent when the page does not count exposures. */
  shown?: (key: string) => void;
}

export const EMPTY_SNAPSHOT: SnapshotJSON = { v: 2, flags: {} };

/** The same check as `FlagsSnapshot.isJSON` (either payload version), kept here so the browser bundle carries no server code. */
export function isSnapshot(value: unknown): value is SnapshotJSON {
  const candidate = value as SnapshotJSON | null;
  return (
    typeof candidate === 'object' && candidate !== null && (candidate.v === 2 || candidate.v === 1) && typeof candidate.flags === 'object' && candidate.flags !== null
  );
}

export function createFlagStore(initial: SnapshotJSON): FlagStore {
  let current = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => current,
    set(next) {
      if (next === current) return;
      current = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

export function flagOf(snapshot: SnapshotJSON, key: string): BrowserFlag | undefined {
  return Object.hasOwn(snapshot.flags, key) ? snapshot.flags[key] : undefined;
}
