// With the extension: `next` has no exports map, and Node's ESM loader resolves no bare subpath without one.
import { revalidateTag as nextRevalidateTag } from 'next/cache.js';
import { createFetchWebhookHandler, type WebhookHandlerOptions } from '../server';
import { deferWebhookHandler } from '../webhooks';
import { FLAGWIRE_CACHE_TAG } from './cache';

export interface NextWebhookOptions extends WebhookHandlerOptions {
  /** @default 'flagwire' */
  cacheTag?: string;
  /** Revalidates a cache tag. @default `revalidateTag(tag, { expire: 0 })` from `next/cache` */
  revalidateTag?: (tag: string) => void | Promise<void>;
}

/**
 * The webhook route for the App Router: `export const { POST } = createWebhookRoute({ secret, client })` in
 * `app/api/webhooks/schematic/route.ts`. A verified delivery also expires flagwire's cache tag at once (no
 * stale-while-revalidate: a page cached with the old flag values is not served again). The options are
 * checked on the first request, not at import, so `next build` passes without the secret; until they are
 * valid, each delivery is answered 500 and the reason logged.
 */
export function createWebhookRoute(options: NextWebhookOptions): { POST: (request: Request) => Promise<Response> } {
  const tag = options.cacheTag ?? FLAGWIRE_CACHE_TAG;
  const revalidate = options.revalidateTag ?? ((t: string) => nextRevalidateTag(t, { expire: 0 }));
  const POST = deferWebhookHandler(() => createFetchWebhookHandler(options, async () => revalidate(tag)), {
    name: 'createWebhookRoute',
    logger: options.logger,
    misconfigured: () => Response.json({ error: 'webhook endpoint is not configured', code: 'not_configured' }, { status: 500 }),
  });
  return { POST };
}
