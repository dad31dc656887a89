import type { ReactNode } from 'react';
import type { BrowserFlag, SnapshotJSON } from 'flagwire/server';
import { FlagProvider } from './provider';

export interface TestFlagProviderProps {
  /** Flag values (`true`/`false`) or full browser flags (with entitlements), by key. */
  flags: Record<string, boolean | BrowserFlag>;
  children?: ReactNode;
}

/** A provider for tests and stories: the given values, no server, no network. */
export function TestFlagProvider({ flags, children }: TestFlagProviderProps) {
  const snapshot: SnapshotJSON = {
    v: 1,
    flags: Object.fromEntries(Object.entries(flags).map(([key, flag]) => [key, typeof flag === 'boolean' ? { value: flag } : flag])),
  };
  return <FlagProvider snapshot={snapshot}>{children}</FlagProvider>;
}
