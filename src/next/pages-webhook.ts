import { createWebhookHandler, RAW_BODY_GONE_HINT, readRawBody, type ReadableRequest, type WebhookHandlerOptions } from '../server';

/** The minimal Pages Router API route types this adapter needs (no import from `next`). */
interface PagesRequest extends ReadableRequest {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}
interface PagesResponse {
  status(code: number): { json(body: unknown): void };
  revalidate?(path: string): Promise<void>;
}

export interface PagesWebhookOptions extends WebhookHandlerOptions {
  /** Pages regenerated (on-demand ISR, `res.revalidate`) after each verified delivery. */
  revalidatePaths?: readonly string[];
}

/**
 * The webhook route for the Pages Router, in `pages/api/webhooks/schematic.ts`:
 * `export default createPagesWebhookHandler({ secret, client })` and
 * `export const config = { api: { bodyParser: false } }` so the raw body reaches it.
 */
export function createPagesWebhookHandler(options: PagesWebhookOptions): (req: PagesRequest, res: PagesResponse) => Promise<void> {
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const handle = createWebhookHandler(options);
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
    if (result.status < 300 && options.revalidatePaths?.length) {
      try {
        await Promise.all(options.revalidatePaths.map((path) => res.revalidate?.(path)));
      } catch (error) {
        // Not acknowledged, so the sender retries and the pages get another chance to regenerate.
        res.status(500).json({ error: `revalidating pages failed: ${(error as Error)?.message ?? error}` });
        return;
      }
    }
    res.status(result.status).json(result.body);
  };
}
