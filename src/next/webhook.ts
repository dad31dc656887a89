import {
  type AfterVerify,
  createFetchWebhookHandler,
  createWebhookHandler,
  RAW_BODY_GONE_HINT,
  readRawBody,
  type ReadableRequest,
  type WebhookHandlerOptions,
} from '../server';

/** The cache tag flagwire's Next helpers put on what they cache; webhooks revalidate it. */
export const FLAGWIRE_CACHE_TAG = 'flagwire';

export interface NextWebhookOptions extends WebhookHandlerOptions {
  /** @default 'flagwire' */
  cacheTag?: string;
  /** Revalidates a cache tag. @default `revalidateTag` from `next/cache` */
  revalidateTag?: (tag: string) => void | Promise<void>;
}

function revalidator(options: NextWebhookOptions): AfterVerify {
  const tag = options.cacheTag ?? FLAGWIRE_CACHE_TAG;
  return async () => {
    if (options.revalidateTag) return options.revalidateTag(tag);
    // Loaded when first needed, so this module imports nothing from Next at the top (and builds without it).
    const nextCache = 'next/cache';
    const { revalidateTag } = (await import(nextCache)) as { revalidateTag: (tag: string) => void };
    revalidateTag(tag);
  };
}

/**
 * The webhook route for the App Router: `export const { POST } = createWebhookRoute({ secret, client })` in
 * `app/api/webhooks/schematic/route.ts`. Verified deliveries also revalidate flagwire's cache tag.
 */
export function createWebhookRoute(options: NextWebhookOptions): { POST: (request: Request) => Promise<Response> } {
  return { POST: createFetchWebhookHandler(options, revalidator(options)) };
}

/** The minimal Pages Router API route types this adapter needs (no import from `next`). */
interface PagesRequest extends ReadableRequest {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}
interface PagesResponse {
  status(code: number): { json(body: unknown): void };
}

/**
 * The webhook route for the Pages Router, in `pages/api/webhooks/schematic.ts`:
 * `export default createPagesWebhookHandler({ secret, client })` and
 * `export const config = { api: { bodyParser: false } }` so the raw body reaches it.
 */
export function createPagesWebhookHandler(options: NextWebhookOptions): (req: PagesRequest, res: PagesResponse) => Promise<void> {
  const handle = createWebhookHandler(options, revalidator(options));
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  return async (req, res) => {
    const read = req.body !== undefined ? ({ kind: 'gone' } as const) : await readRawBody(req, limit);
    if (read.kind === 'gone') {
      res.status(500).json({ error: `${RAW_BODY_GONE_HINT}. Add export const config = { api: { bodyParser: false } } to the route.` });
      return;
    }
    const header = (name: string) => {
      const value = req.headers[name.toLowerCase()];
      return (Array.isArray(value) ? value[0] : value) ?? null;
    };
    const result = await handle({ rawBody: read.bytes, header });
    res.status(result.status).json(result.body);
  };
}
