import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createWebhookHandler, RAW_BODY_GONE_HINT, readRawBody, type WebhookHandlerOptions } from '../server';

const DEFAULT_LIMIT = 1024 * 1024;

/** Use as `express.json({ verify: captureRawBody })` when a JSON parser must run before the webhook route. */
export function captureRawBody(req: Request, _res: Response, buffer: Buffer): void {
  (req as Request & { rawBody?: Buffer }).rawBody = buffer;
}

/** The raw body, wherever Express left it: captured, from `express.raw()`/`express.text()`, or still unread. */
async function rawBodyOf(req: Request, limit: number): Promise<Uint8Array | 'gone'> {
  const captured = (req as Request & { rawBody?: Buffer | string }).rawBody;
  if (captured !== undefined) return typeof captured === 'string' ? new TextEncoder().encode(captured) : captured;
  if (Buffer.isBuffer(req.body)) return req.body;
  if (typeof req.body === 'string') return new TextEncoder().encode(req.body);
  const read = await readRawBody(req, limit);
  return read.kind === 'gone' ? 'gone' : read.bytes;
}

/**
 * The Schematic webhook endpoint for Express: `app.post('/webhooks/schematic', flagsWebhook({ secret, client }))`.
 * Reads the raw body itself; works before or after `express.json()` if that was given `verify: captureRawBody`.
 */
export function flagsWebhook(options: WebhookHandlerOptions): RequestHandler {
  const handle = createWebhookHandler(options);
  const limit = options.maxBodyBytes ?? DEFAULT_LIMIT;
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const rawBody = await rawBodyOf(req, limit);
      if (rawBody === 'gone') {
        options.logger?.error(`flagsWebhook: ${RAW_BODY_GONE_HINT}`);
        res.status(500).json({
          error: `${RAW_BODY_GONE_HINT}. Mount flagsWebhook() before express.json(), or use express.json({ verify: captureRawBody }).`,
        });
        return;
      }
      const result = await handle({ rawBody, header: (name) => req.get(name) ?? null });
      res.status(result.status).json(result.body);
    } catch (error) {
      next(error);
    }
  };
}
