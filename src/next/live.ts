/**
 * `flagwire/next/live`: the browser side of Next's live endpoint, as a client component. An entry of its own:
 * `flagwire/next` is server-only.
 */
export { LiveRefresh } from './live-refresh';
export type { LiveRefreshProps } from './live-refresh';
