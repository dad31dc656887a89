/**
 * `flagwire/react/live`: the provider that keeps the server's values current (SWR revalidation of the flags
 * endpoint, the live channel). Its own entry, so an app that only hydrates the server's snapshot
 * (`flagwire/react`) never names `swr`, and bundles without it installed.
 */
export { LiveFlagProvider } from './live-provider';
export type { LiveFlagProviderProps } from './live-provider';
