/**
 * `flagwire/next`: the App Router (server components, route handlers, server actions, `proxy.ts`). It
 * translates Next's requests and caches; every decision is made by `flagwire/server`. The Pages Router
 * helpers are in `flagwire/next/pages`.
 */
import 'server-only';

export { createNextFlags } from './app-router';
export type { NextFlags, NextFlagsOptions } from './app-router';
export { FLAGWIRE_CACHE_TAG, taggedFetch } from './cache';
export { flagsDiscoveryRoute } from './flags-discovery';
export type { NextToolbarOptions } from './flags-toolbar';
export type { LiveRouteOptions } from './live-route';
export type { FlagsDiscoveryRouteOptions } from './flags-discovery';
export type { CachedFlagsOptions } from './cache';
export type { FlagRequest, NextFlagsContext } from './request';
export { createWebhookRoute } from './webhook';
export type { NextWebhookOptions } from './webhook';
