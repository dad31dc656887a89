import type { FlagsClient } from '../client';
import { FlagwireError } from '../errors';
import type { Logger } from '../logger';
import { changeFor, parseWebhookEvent, type WebhookAction, type WebhookEvent } from './events';
import { MemoryReplayGuard } from './replay-guard';
import { type ReplayGuard, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature, WebhookSignatureError } from './signature';

type Callback<E> = (event: E) => void | Promise<void>;

/** Callbacks by action; `'*'` runs for every delivery, after the specific one. */
export type WebhookCallbacks = {
  [A in WebhookAction]?: Callback<Extract<WebhookEvent, { action: A }>>;
} & { '*'?: Callback<WebhookEvent> };

export interface WebhookHandlerOptions {
  /** The endpoint's signing secret; several while rotating. */
  secret: string | readonly string[];
  /** The flags client: verified deliveries invalidate what it cached and emit `change` (and reach other instances). */
  client?: FlagsClient;
  on?: WebhookCallbacks;
  /** @default 300 */
  toleranceSeconds?: number | false;
  /** @default 1 MiB */
  maxBodyBytes?: number;
  /** Refuses deliveries seen before within the tolerance. Pass a `RedisReplayGuard` to share across instances; `null` turns it off. @default in-memory */
  replayGuard?: ReplayGuard | null;
  logger?: Logger;
  now?: () => number;
}

/** A request as every adapter sees it: the raw body and a header lookup. */
export interface WebhookRequest {
  rawBody: string | Uint8Array | null;
  header(name: string): string | null;
}

export interface WebhookResponse {
  status: number;
  body: Record<string, unknown>;
}

/** Runs after the default actions and before the callbacks: the Next adapter revalidates its cache tag here. */
export type AfterVerify = (event: WebhookEvent) => void | Promise<void>;

/**
 * The one webhook handler every adapter wraps: verify (400 and nothing else on failure), read the event,
 * apply the default actions (invalidate, `change`, fan-out), then the callbacks. 2xx only once all of that
 * succeeded; 500 when an action or callback throws, so Schematic retries.
 */
export function createWebhookHandler(options: WebhookHandlerOptions, afterVerify?: AfterVerify): (request: WebhookRequest) => Promise<WebhookResponse> {
  if (!options.secret || (Array.isArray(options.secret) && options.secret.length === 0)) {
    throw new FlagwireError('invalid_config', 'webhook secret: pass the endpoint’s signing secret (or a list while rotating)');
  }
  const replayGuard = options.replayGuard === undefined ? new MemoryReplayGuard(options.now) : options.replayGuard;
  const text = new TextDecoder();
  return async (request) => {
    try {
      await verifySignature(request.rawBody, request.header(SIGNATURE_HEADER), request.header(TIMESTAMP_HEADER), options.secret, {
        toleranceSeconds: options.toleranceSeconds,
        maxBodyBytes: options.maxBodyBytes,
        replayGuard,
        now: options.now,
      });
    } catch (error) {
      if (error instanceof WebhookSignatureError) return { status: 400, body: { error: error.message.replace(/^\[flagwire\] /, ''), code: error.reason } };
      throw error;
    }
    let event: WebhookEvent;
    try {
      const raw = request.rawBody as string | Uint8Array;
      event = parseWebhookEvent(typeof raw === 'string' ? raw : text.decode(raw));
    } catch (error) {
      return { status: 400, body: { error: (error as Error).message.replace(/^\[flagwire\] /, ''), code: 'malformed' } };
    }
    try {
      const change = changeFor(event);
      if (change && options.client) await options.client.invalidate(change);
      await afterVerify?.(event);
      const specific = options.on?.[event.action as WebhookAction] as Callback<WebhookEvent> | undefined;
      await specific?.(event);
      await options.on?.['*']?.(event);
      return { status: 200, body: { ok: true } };
    } catch (error) {
      options.logger?.error(`webhook ${event.action} failed; Schematic will retry it`, error);
      return { status: 500, body: { error: 'webhook handling failed' } };
    }
  };
}

/** The Fetch adapter: `(Request) => Response`, for any runtime with Web standards (and Next's App Router). */
export function createFetchWebhookHandler(options: WebhookHandlerOptions, afterVerify?: AfterVerify): (request: Request) => Promise<Response> {
  const handle = createWebhookHandler(options, afterVerify);
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  return async (request) => {
    // An oversize body is refused from its declared length, before a byte of it is read.
    const declared = Number(request.headers.get('content-length') ?? 0);
    if (declared > limit) return Response.json({ error: `Webhook body is ${declared} bytes; the limit is ${limit}`, code: 'too_large' }, { status: 400 });
    const result = await handle({ rawBody: new Uint8Array(await request.arrayBuffer()), header: (name) => request.headers.get(name) });
    return Response.json(result.body, { status: result.status });
  };
}
