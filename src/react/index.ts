/**
 * `flagwire/react`: the browser side. It receives only evaluated values (from `snapshot.toJSON()` on the
 * server) and renders them on the first paint.
 */
export { useEntitlement, useFlag, useFlagDetail, useFlags } from './hooks';
export type { FlagRead } from './hooks';
export { FlagProvider } from './provider';
export type { FlagProviderProps } from './provider';
export { TestFlagProvider } from './test-provider';
export type { TestFlagProviderProps } from './test-provider';
export type { BrowserFlag, FlagEntitlement, FlagKey, FlagValue, SnapshotJSON } from 'flagwire/server';
