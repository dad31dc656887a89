import type { ReactNode } from 'react';
import type { BrowserFlag, SnapshotJSON } from 'flagwire/server';
import { FlagProvider } from './provider';

export interface TestFlagProviderProps {
  /**
   * Flag values by key: `true`/`false` for on/off flags, a string or number for a flag with variations (its
   * variation named `String(value)`, as in the flags file), or a full browser flag (a JSON value, an
   * entitlement, another variation name).
   */
  flags: Record<string, boolean | string | number | BrowserFlag>;
  children?: ReactNode;
}

function browserFlag(flag: boolean | string | number | BrowserFlag): BrowserFlag {
  if (typeof flag === 'object') return flag;
  // As the server sends them: on/off flags carry no variation, the value says it.
  return typeof flag === 'boolean' ? { value: flag } : { value: flag, variation: String(flag) };
}

/** A provider for tests and stories: the given values, no server, no network. */
export function TestFlagProvider({ flags, children }: TestFlagProviderProps) {
  const snapshot: SnapshotJSON = { v: 2, flags: Object.fromEntries(Object.entries(flags).map(([key, flag]) => [key, browserFlag(flag)])) };
  return <FlagProvider snapshot={snapshot}>{children}</FlagProvider>;
}
