import { createWebhookHandler, type WebhookHandlerOptions } from '../server';
import { bodyRefusal, DEFAULT_BODY_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES, deferWebhookHandler, RAW_BODY_GONE_HINT, readRawBody, type ReadableRequest } from '../webhooks';

/** The minimal Pages Router API route types this adapter needs (no import from `next`). */
interface PagesRequest extends ReadableRequest {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}
interface PagesResponse {
  status(code: number): { json(body: unknown): void };
  setHeader?(name: string, value: string): unknown;
  revalidate?(path: string): Promise<void>;
}

export interface PagesWebhookOptions extends WebhookHandlerOptions {
  /** Pages regenerated (on-demand ISR, `res.revalidate`) after each verified delivery. */
  revalidatePaths?: readonly string[];
}

type PagesHandler = (req: PagesRequest, res: PagesResponse) => Promise<void>;

function createHandler(options: PagesWebhookOptions): PagesHandler {
  const handle = createWebhookHandler(options);
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const timeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  return async (req, res) => {
    const read = req.body !== undefined ? ({ kind: 'gone' } as const) : await readRawBody(req, limit, timeoutMs);
    const refusal = bodyRefusal(read, limit, timeoutMs);
    if (refusal) {
      // The rest of the body is never read, so the connection cannot carry another request: close it.
      res.setHeader?.('Connection', 'close');
      res.status(refusal.status).json(refusal.body);
      return;
    }
    if (read.kind !== 'body') {
      res.status(500).json({ error: `${RAW_BODY_GONE_HINT}. Add export const config = { api: { bodyParser: false } } to the route.` });
      return;
    }
    const header = (name: string) => {
      const value = req.headers[name.toLowerCase()];
      return (Array.isArray(value) ? value[0] : value) ?? null;
    };
    let failure: { error: unknown } | null = null;
    // Regenerating is part of handling the delivery: when it fails, the delivery is not acknowledged (nor
    // remembered), so the sender's retry gives the pages another chance.
    const afterVerify = async () => {
      try {
        await Promise.all((options.revalidatePaths ?? []).map((path) => res.revalidate?.(path)));
      } catch (error) {
        failure = { error };
        throw error;
      }
    };
    const result = await handle({ rawBody: read.bytes, header, afterVerify });
    if (failure !== null) {
      const { error } = failure as { error: unknown };
      res.status(500).json({ error: `revalidating pages failed: ${(error as Error)?.message ?? error}` });
      return;
    }
    res.status(result.status).json(result.body);
  };
}

/**
 * The webhook route for the Pages Router, in `pages/api/webhooks/schematic.ts`:
 * `export default createPagesWebhookHandler({ secret, client })` and
 * `export const config = { api: { bodyParser: false } }` so the raw body reaches it. The options are checked
 * on the first request, not at import, so `next build` passes without the secret.
 */
export function createPagesWebhookHandler(options: PagesWebhookOptions): PagesHandler {
  return deferWebhookHandler(() => createHandler(options), {
    name: 'createPagesWebhookHandler',
    logger: options.logger,
    misconfigured: (_req, res) => res.status(500).json({ error: 'webhook endpoint is not configured', code: 'not_configured' }),
  });
}
