import type { FlagsClient } from '../core/client';
import { type Logger, leveledLogger } from '../core/logger';
import { changeFor, parseWebhookEvent, type WebhookAction, type WebhookEvent } from './events';
import { bodyRefusal, DEFAULT_BODY_TIMEOUT_MS, RAW_BODY_GONE_HINT, readFetchBody } from './read-body';
import { MemoryReplayGuard } from './replay-guard';
import {
  authenticateDelivery,
  DEFAULT_MAX_BODY_BYTES,
  type ReplayGuard,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  type VerifiedDelivery,
  verifySettings,
  WebhookSignatureError,
} from './signature';
import { checkPositiveInteger } from './webhook-config';

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
  /** Seconds the timestamp header (unix seconds, unix milliseconds or RFC 3339) may be from now; `0`/`false` turns the check off. @default 300 */
  toleranceSeconds?: number | false;
  /** @default DEFAULT_MAX_BODY_BYTES (1 MiB) */
  maxBodyBytes?: number;
  /** How long the adapters that read the body (Fetch, Next, Express) wait for all of it before answering 408. @default 10 000 */
  bodyTimeoutMs?: number;
  /**
   * Refuses a delivery while its timestamp is within the tolerance, once it was handled (a failed one is
   * released, so the sender's retry is processed). Pass a `RedisReplayGuard` to share across instances;
   * `null` turns it off. @default in-memory
   */
  replayGuard?: ReplayGuard | null;
  /** Where failed deliveries are logged. @default the console */
  logger?: Logger;
  now?: () => number;
}

/** A request as every adapter sees it: the raw body and a header lookup. */
export interface WebhookRequest {
  rawBody: string | Uint8Array | null;
  header(name: string): string | null;
  /** Runs for this request only, after the handler's own `afterVerify` (the Pages Router regenerates pages here). */
  afterVerify?: AfterVerify;
}

export interface WebhookResponse {
  status: number;
  body: Record<string, unknown>;
}

/** Runs after the default actions and before the callbacks: the Next adapter revalidates its cache tag here. */
export type AfterVerify = (event: WebhookEvent) => void | Promise<void>;

const unprefixed = (error: Error) => error.message.replace(/^\[flagwire\] /, '');

/** The callback for an action. Own properties only: an action named `constructor` or `__proto__` must not find Object.prototype's. */
function callbackFor(on: WebhookCallbacks | undefined, action: string): Callback<WebhookEvent> | undefined {
  if (!on || !Object.hasOwn(on, action)) return undefined;
  return (on as Record<string, Callback<WebhookEvent> | undefined>)[action];
}

/**
 * The one webhook handler every adapter wraps: verify (400 and nothing else on failure), read the event,
 * apply the default actions (invalidate, `change`, fan-out), then the callbacks. 2xx only once all of that
 * succeeded; 500 when an action or callback throws, so Schematic retries (and the retry is not a replay).
 * @throws FlagwireConfigError at creation for a missing or blank secret, or an unusable tolerance or limit
 */
export function createWebhookHandler(options: WebhookHandlerOptions, afterVerify?: AfterVerify): (request: WebhookRequest) => Promise<WebhookResponse> {
  const settings = verifySettings(options.secret, options);
  checkPositiveInteger('bodyTimeoutMs', options.bodyTimeoutMs, DEFAULT_BODY_TIMEOUT_MS);
  const replayGuard = options.replayGuard === undefined ? new MemoryReplayGuard(settings.now) : options.replayGuard;
  const logger = options.logger ?? leveledLogger();
  const text = new TextDecoder();

  async function release(guard: ReplayGuard, delivery: VerifiedDelivery, action: string): Promise<void> {
    try {
      await guard.release(delivery.id);
    } catch (error) {
      logger.error(`webhook ${action}: the replay guard could not forget the failed delivery, so its retry is refused until ${new Date(delivery.rememberUntilMs).toISOString()}`, error);
    }
  }

  return async (request) => {
    let delivery: VerifiedDelivery;
    try {
      delivery = await authenticateDelivery(request.rawBody, request.header(SIGNATURE_HEADER), request.header(TIMESTAMP_HEADER), settings);
    } catch (error) {
      if (error instanceof WebhookSignatureError) return { status: 400, body: { error: unprefixed(error), code: error.reason } };
      throw error;
    }
    let event: WebhookEvent;
    try {
      const raw = request.rawBody as string | Uint8Array;
      event = parseWebhookEvent(typeof raw === 'string' ? raw : text.decode(raw));
    } catch (error) {
      return { status: 400, body: { error: unprefixed(error as Error), code: 'malformed' } };
    }
    if (replayGuard) {
      let claimed: boolean;
      try {
        claimed = await replayGuard.claim(delivery.id, delivery.rememberUntilMs);
      } catch (error) {
        logger.error(`webhook ${event.action}: the replay guard failed (${(error as Error)?.message ?? error}), so the delivery was not handled; answered 503 so Schematic retries it`, error);
        return { status: 503, body: { error: 'replay guard unavailable', code: 'unavailable' } };
      }
      if (!claimed) return { status: 400, body: { error: 'Webhook delivery was already accepted once (replay)', code: 'replayed' } };
    }
    try {
      const change = changeFor(event);
      if (change && options.client) await options.client.invalidate(change);
      await afterVerify?.(event);
      await request.afterVerify?.(event);
      // An action literally named '*' runs the catch-all once, not twice.
      if (event.action !== '*') await callbackFor(options.on, event.action)?.(event);
      await callbackFor(options.on, '*')?.(event);
      return { status: 200, body: { ok: true } };
    } catch (error) {
      logger.error(`webhook ${event.action} failed; Schematic will retry it`, error);
      if (replayGuard) await release(replayGuard, delivery, event.action);
      return { status: 500, body: { error: 'webhook handling failed' } };
    }
  };
}

/** The Fetch adapter: `(Request) => Response`, for any runtime with Web standards (and Next's App Router). */
export function createFetchWebhookHandler(options: WebhookHandlerOptions, afterVerify?: AfterVerify): (request: Request) => Promise<Response> {
  const handle = createWebhookHandler(options, afterVerify);
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const timeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  return async (request) => {
    // An oversize body is refused from its declared length, before a byte of it is read; an undeclared one
    // (chunked) is read only up to the limit.
    const declared = Number(request.headers.get('content-length') ?? 0);
    if (declared > limit) return Response.json({ error: `Webhook body is ${declared} bytes; the limit is ${limit}`, code: 'too_large' }, { status: 400 });
    const read = await readFetchBody(request.body, limit, timeoutMs);
    const refusal = bodyRefusal(read, limit, timeoutMs);
    if (refusal) return Response.json(refusal.body, { status: refusal.status });
    if (read.kind !== 'body') return Response.json({ error: RAW_BODY_GONE_HINT }, { status: 500 });
    const result = await handle({ rawBody: read.bytes, header: (name) => request.headers.get(name) });
    return Response.json(result.body, { status: result.status });
  };
}
