import { type ChangeEvent, type EvaluationContext, type FlagsClient, keysOverlap } from '../server';
import { contextFor, fromFetchRequest, type NextFlagsContext } from './request';

export interface LiveRouteOptions {
  /** The most pages listening at once; past it a page is answered 503 and its browser tries again later. @default 10000 */
  maxConnections?: number;
  /** A comment line this often keeps proxies from closing an idle stream. @default 25000 */
  heartbeatMs?: number;
  /** Notices to one page are at most this far apart; a burst in between becomes one more at its end. @default 50 */
  coalesceMs?: number;
  /**
   * How long a page's `context` may take; past it the page listens for flag changes only (no company or user),
   * so a session store that hangs cannot hold places under the cap. @default 5000
   */
  contextTimeoutMs?: number;
}

const DEFAULT_MAX_CONNECTIONS = 10_000;
const DEFAULT_HEARTBEAT_MS = 25_000;
const DEFAULT_COALESCE_MS = 50;
const DEFAULT_CONTEXT_TIMEOUT_MS = 5_000;
const NOBODY: EvaluationContext = {};
const HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store, no-transform', 'x-accel-buffering': 'no' } as const;

/** Whether a change concerns a page: a flag change concerns every page; a company or user change, its own. */
function concerns(change: ChangeEvent, context: EvaluationContext): boolean {
  if (change.type === 'flags') return true;
  try {
    return keysOverlap(change.type === 'company' ? context.company : context.user, change.keys);
  } catch {
    // Keys that cannot be read get the notice: a needless refresh is cheap, a missed one leaves stale flags.
    return true;
  }
}

/**
 * The live channel over server-sent events, for Next deployments without a custom server (route handlers hold
 * no WebSocket): `export const { GET } = flags.liveEndpoint` in `app/api/flagwire/live/route.ts`. Each page
 * hears *that* its flags changed (never what they are), only for its own company and user, and then refreshes:
 * `<LiveRefresh />` re-renders its server components, `LiveFlagProvider` refetches its payload.
 */
export function liveRoute(client: FlagsClient, context: NextFlagsContext, options: LiveRouteOptions = {}) {
  const maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const coalesceMs = options.coalesceMs ?? DEFAULT_COALESCE_MS;
  const contextTimeoutMs = options.contextTimeoutMs ?? DEFAULT_CONTEXT_TIMEOUT_MS;
  const encoder = new TextEncoder();
  const contextWithin = (request: Request): Promise<EvaluationContext> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<EvaluationContext>((resolve) => (timer = setTimeout(() => resolve(NOBODY), contextTimeoutMs)));
    return Promise.race([contextFor(context, fromFetchRequest(request)), late]).finally(() => clearTimeout(timer));
  };
  let open = 0;
  const GET = async (request: Request): Promise<Response> => {
    if (open >= maxConnections) return new Response('too many listeners', { status: 503, headers: { 'retry-after': '5' } });
    open++;
    const listening = await contextWithin(request);
    // The page may have gone while its context was read: its place is given back at once.
    if (request.signal.aborted) {
      open--;
      return new Response(null, { status: 204 });
    }
    let stop = () => {};
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        let lastSentAt = 0;
        let held: ReturnType<typeof setTimeout> | null = null;
        const write = (text: string) => {
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            stop();
          }
        };
        const send = (type: ChangeEvent['type']) => {
          lastSentAt = Date.now();
          write(`data: {"type":"${type}"}\n\n`);
        };
        const notify = (type: ChangeEvent['type']) => {
          if (held !== null) return;
          const wait = lastSentAt + coalesceMs - Date.now();
          if (wait <= 0) return send(type);
          // Within the window: one notice at its end says "flags", whatever the window held.
          held = setTimeout(() => {
            held = null;
            send('flags');
          }, wait);
        };
        const unsubscribe = client.subscribe((change) => {
          if (concerns(change, listening)) notify(change.type);
        });
        const heartbeat = setInterval(() => write(': ping\n\n'), heartbeatMs);
        (heartbeat as { unref?: () => void }).unref?.();
        let stopped = false;
        stop = () => {
          if (stopped) return;
          stopped = true;
          open--;
          unsubscribe();
          clearInterval(heartbeat);
          if (held !== null) clearTimeout(held);
          try {
            controller.close();
          } catch {
            // Already closed by the browser.
          }
        };
        request.signal.addEventListener('abort', () => stop());
        // A first line at once: proxies and the browser see the stream is open (EventSource fires `open`).
        write(': connected\n\n');
      },
      cancel() {
        stop();
      },
    });
    return new Response(stream, { headers: HEADERS });
  };
  return { GET };
}
