import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createWebhookHandler, type WebhookHandlerOptions } from '../server';
import { bodyRefusal, DEFAULT_BODY_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES, RAW_BODY_GONE_HINT, type RawBody, readRawBody } from '../webhooks';

/** Use as `express.json({ verify: captureRawBody })` when a JSON parser must run before the webhook route. */
export function captureRawBody(req: Request, _res: Response, buffer: Buffer): void {
  (req as Request & { rawBody?: Buffer }).rawBody = buffer;
}

/** The raw body, wherever Express left it: captured, from `express.raw()`/`express.text()`, or still unread. */
async function rawBodyOf(req: Request, limit: number, timeoutMs: number): Promise<RawBody> {
  const captured = (req as Request & { rawBody?: Buffer | string }).rawBody;
  if (captured !== undefined) return { kind: 'body', bytes: typeof captured === 'string' ? new TextEncoder().encode(captured) : captured };
  if (Buffer.isBuffer(req.body)) return { kind: 'body', bytes: req.body };
  if (typeof req.body === 'string') return { kind: 'body', bytes: new TextEncoder().encode(req.body) };
  return readRawBody(req, limit, timeoutMs);
}

/**
 * The Schematic webhook endpoint for Express: `app.post('/webhooks/schematic', flagsWebhook({ secret, client }))`.
 * Reads the raw body itself (up to `maxBodyBytes`, within `bodyTimeoutMs`); works before or after
 * `express.json()` if that was given `verify: captureRawBody`.
 */
export function flagsWebhook(options: WebhookHandlerOptions): RequestHandler {
  const handle = createWebhookHandler(options);
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const timeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const read = await rawBodyOf(req, limit, timeoutMs);
      const refusal = bodyRefusal(read, limit, timeoutMs);
      if (refusal) {
        // The rest of the body is never read, so the connection cannot carry another request: close it.
        res.set('Connection', 'close').status(refusal.status).json(refusal.body);
        return;
      }
      if (read.kind !== 'body') {
        options.logger?.error(`flagsWebhook: ${RAW_BODY_GONE_HINT}`);
        res.status(500).json({
          error: `${RAW_BODY_GONE_HINT}. Mount flagsWebhook() before express.json(), or use express.json({ verify: captureRawBody }).`,
        });
        return;
      }
      const result = await handle({ rawBody: read.bytes, header: (name) => req.get(name) ?? null });
      res.status(result.status).json(result.body);
    } catch (error) {
      next(error);
    }
  };
}
