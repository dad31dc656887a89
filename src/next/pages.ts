/**
 * `flagwire/next/pages`: the Pages Router (`getServerSideProps`, API routes, `_app`). No `server-only`
 * marker here: Next refuses it under `pages/`.
 */
export { createPagesFlags } from './pages-router';
export type { FlagsProps, PagesFlagsOptions } from './pages-router';
export { createPagesWebhookHandler } from './pages-webhook';
export type { PagesWebhookOptions } from './pages-webhook';
export type { FlagRequest, NextFlagsContext } from './request';
