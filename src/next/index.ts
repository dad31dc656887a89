/**
 * `flagwire/next`: Next.js adapters (App Router and Pages Router). They translate requests and responses;
 * every decision is made by `flagwire/server`.
 */
export { createPagesWebhookHandler, createWebhookRoute, FLAGWIRE_CACHE_TAG } from './webhook';
export type { NextWebhookOptions } from './webhook';
