/**
 * `flagwire/flags-sdk`: flagwire inside Vercel's Flags SDK (`flags` on npm, an optional peer): an adapter for
 * `flag()` declarations, `getProviderData` for Flags Explorer, and the overrides cookie both Flags Explorer and
 * flagwire's own adapters (Express, Next) read.
 */
export { createFlagwireAdapter } from './adapter';
export type { FlagsSdkRequest, FlagwireAdapter, FlagwireAdapterOptions } from './adapter';
export { discoveryAnswer } from './discovery';
export type { DiscoveryAnswer } from './discovery';
export { OVERRIDES_COOKIE, overridesCookieIn, overridesSecret, readOverridesCookie, writeOverridesCookie } from './overrides-cookie';
export type { OverridesOption } from './overrides-cookie';
export { getProviderData } from './provider-data';
export type { ProviderDataOptions } from './provider-data';
export { answerToolbar, developmentOnly, TOOLBAR_HEADER } from './toolbar-api';
export type { ToolbarAnswer, ToolbarChange, ToolbarFlag, ToolbarRequest, ToolbarState } from './toolbar-api';
