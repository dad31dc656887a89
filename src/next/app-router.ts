// With the extension: `next` has no exports map, and Node's ESM loader resolves no bare subpath without one.
import { cookies, headers } from 'next/headers.js';
import { after } from 'next/server.js';
import { cache } from 'react';
import { type FlagsClient, type FlagsSnapshot, FlagwireError } from '../server';
import { type CachedFlagsOptions, cachedFlags } from './cache';
import { type NextToolbarOptions, toolbarRoute } from './flags-toolbar';
import { type LiveRouteOptions, liveRoute } from './live-route';
import { exposuresRoute } from './exposures-route';
import { contextFor, type FlagRequest, fromFetchRequest, type NextFlagsContext, overridesKeyOf, type RequestFlagsOptions, snapshotForContext, snapshotForRequest } from './request';

export interface NextFlagsOptions extends RequestFlagsOptions {
  client: FlagsClient;
  /** Who the request is for, from its cookies and headers (or the app's session). Called once per request. */
  context: NextFlagsContext;
  /** The longest a lookup may take before the request proceeds on defaults. @default the client's timeoutMs */
  timeoutMs?: number;
  /** How `getCachedFlags` caches. */
  cache?: CachedFlagsOptions;
  /** Who may use the flags toolbar's endpoint (`toolbarEndpoint`). @default anyone in development, nobody in production */
  toolbar?: NextToolbarOptions;
  /** The live channel over server-sent events (`liveEndpoint`). */
  live?: LiveRouteOptions;
}

/**
 * Thrown when `getFlags()` runs in a static render. Under `dynamic = 'force-static'` (on the page, or on a
 * layout or route) Next renders with no request: `cookies()` and `headers()` answer empty, and neither
 * `connection()` nor `unstable_noStore()` can make the route dynamic again. Evaluating there would serve one
 * visitor's flags (whoever no cookie means) to every visitor, from the static HTML. So the render fails,
 * which fails `next build`, and the message says what to use instead.
 */
function staticRenderError(): FlagwireError {
  return new FlagwireError(
    'invalid_config',
    "getFlags() was called while Next rendered a route statically (export const dynamic = 'force-static' on the page, " +
      'or on a layout or route it runs in). There is no request there: the flags would be evaluated once, for no visitor, and served to every ' +
      'visitor. Use getCachedFlags(context) for a static page (one context for all, refreshed by the webhook route), or remove ' +
      "force-static so the route renders per request; a layout shared with static pages can't call getFlags().",
  );
}

/** The incoming request, as server components, route handlers and server actions see it. */
async function currentRequest(): Promise<FlagRequest> {
  const [cookieStore, headerStore] = await Promise.all([cookies(), headers()]);
  // A request always has headers (Host, and the x-forwarded-* Next's server adds); a static render has none.
  let hasHeaders = false;
  headerStore.forEach(() => (hasHeaders = true));
  if (!hasHeaders) throw staticRenderError();
  return { cookie: (name) => cookieStore.get(name)?.value, header: (name) => headerStore.get(name) };
}

/**
 * flagwire for the App Router. Create it once (in `lib/flags.ts`) and export what the app uses. The layout
 * hands the request's values to the browser with `<FlagProvider snapshot={(await getFlags()).toJSON()}>`
 * from `flagwire/react`: a client component, so this module stays free of client code (and usable in proxy).
 * - `getFlags()`: this request's flags, looked up once per request and shared by every server component,
 *   route handler and server action of it (React `cache`); reading cookies makes the route dynamic. In a
 *   static render (`force-static`) it throws instead of evaluating for no one, failing the build.
 * - `flagsEndpoint`: `export const { GET } = flags.flagsEndpoint` for the provider's revalidation.
 * - `flagsFor(request)`: the same flags in `proxy.ts`/`middleware.ts` (Node runtime).
 * - `getCachedFlags(context)`: flags for a fixed context in Next's data cache, for static and ISR pages.
 * - `toolbarEndpoint`: `export const { GET, POST } = flags.toolbarEndpoint` for `<FlagToolbar />`.
 * - `liveEndpoint`: `export const { GET } = flags.liveEndpoint`: change notices over server-sent events, for
 *   `<LiveRefresh />` (`flagwire/next/live`) and `LiveFlagProvider`'s `events`.
 * - `exposuresEndpoint`: `export const { POST } = flags.exposuresEndpoint`, where `<FlagProvider exposures>`
 *   reports the flags the browser showed (counted with `createFlagsClient({ onExposures })`).
 */
export function createNextFlags(options: NextFlagsOptions) {
  const overridesKey = overridesKeyOf(options);
  const getFlags = cache(async (): Promise<FlagsSnapshot> => {
    const request = await currentRequest();
    const context = await contextFor(options.context, request);
    const snapshot = await snapshotForContext(options, overridesKey, request, context);
    // Exposures (only with the client's onExposures): this request's reads, handed over after the response.
    const exposures = options.client.exposuresOf(snapshot, context);
    if (exposures === null) return snapshot;
    after(() => exposures.flush());
    return exposures.snapshot;
  });

  const GET = async (): Promise<Response> => {
    const flags = await getFlags();
    return Response.json(flags.toJSON(), { headers: { 'cache-control': 'private, no-store' } });
  };

  const flagsFor = (request: Request): Promise<FlagsSnapshot> => snapshotForRequest(options, overridesKey, fromFetchRequest(request));

  return {
    getFlags,
    flagsEndpoint: { GET },
    flagsFor,
    getCachedFlags: cachedFlags(options.client, options.cache),
    toolbarEndpoint: toolbarRoute(options.client, overridesKey, flagsFor, options.toolbar),
    liveEndpoint: liveRoute(options.client, options.context, options.live),
    exposuresEndpoint: exposuresRoute(options.client, options.context),
  };
}

export type NextFlags = ReturnType<typeof createNextFlags>;
