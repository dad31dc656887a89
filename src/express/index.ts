/**
 * `flagwire/express`: Express adapters. They translate requests and responses; every decision is made by
 * `flagwire/server`.
 */
export { flagsExposuresEndpoint } from './exposures';
export type { FlagsExposuresOptions } from './exposures';
export { flagsDiscoveryEndpoint } from './flags-discovery';
export type { FlagsDiscoveryOptions } from './flags-discovery';
export { flagsToolbarEndpoint } from './flags-toolbar';
export type { FlagsToolbarOptions } from './flags-toolbar';
export { attachLiveChannel } from './live-channel';
export type { LiveChannelOptions } from './live-channel';
export { currentFlags, flagsEndpoint, flagsMiddleware } from './middleware';
export type { FlagsMiddlewareOptions } from './middleware';
export { captureRawBody, flagsWebhook } from './webhook';
