import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { type ChangeEvent, type EvaluationContext, type FlagsClient, keysOverlap } from '../server';

export interface LiveChannelOptions {
  /** @default '/flagwire/live' */
  path?: string;
  /** Whom each connection is for (read from the upgrade request: cookies, headers), so company and user notices reach only their own pages. */
  context?: (req: IncomingMessage) => EvaluationContext | Promise<EvaluationContext>;
  /** @default 10000 */
  maxConnections?: number;
  /** Ping interval; a connection that misses a pong is dropped. @default 30000 */
  heartbeatMs?: number;
}

interface Listener {
  socket: WebSocket;
  context: EvaluationContext;
  alive: boolean;
}

/** Which pages a change concerns: flag changes concern everyone; a company or user change, its own pages. */
function concerns(change: ChangeEvent, context: EvaluationContext, filtered: boolean): boolean {
  if (change.type === 'flags' || !filtered) return true;
  return keysOverlap(change.type === 'company' ? context.company : context.user, change.keys);
}

/**
 * The live channel: a WebSocket endpoint on the app's HTTP server that tells browsers *that* their flags
 * changed (never what they are); the browser then revalidates its own values from the flags endpoint.
 * Heartbeats drop dead connections; a cap refuses connections past it (503). Changes heard through Redis
 * from other instances reach this instance's browsers too.
 */
export function attachLiveChannel(server: Server, client: FlagsClient, options: LiveChannelOptions = {}): { close(): Promise<void>; readonly connections: number } {
  const path = options.path ?? '/flagwire/live';
  const maxConnections = options.maxConnections ?? 10_000;
  const wss = new WebSocketServer({ noServer: true });
  const listeners = new Set<Listener>();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== path) return;
    if (listeners.size >= maxConnections) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    Promise.resolve(options.context?.(req) ?? {})
      .catch(() => ({}))
      .then((context) =>
        wss.handleUpgrade(req, socket, head, (ws) => {
          const listener: Listener = { socket: ws, context, alive: true };
          listeners.add(listener);
          ws.on('pong', () => (listener.alive = true));
          ws.on('close', () => listeners.delete(listener));
          ws.on('error', () => ws.terminate());
        }),
      );
  };
  server.on('upgrade', onUpgrade);

  const unsubscribe = client.subscribe((change) => {
    const notice = JSON.stringify({ type: change.type });
    for (const listener of listeners) {
      if (concerns(change, listener.context, options.context !== undefined) && listener.socket.readyState === listener.socket.OPEN) listener.socket.send(notice);
    }
  });

  const heartbeat = setInterval(() => {
    for (const listener of listeners) {
      if (!listener.alive) {
        listener.socket.terminate();
        continue;
      }
      listener.alive = false;
      listener.socket.ping();
    }
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref();

  return {
    get connections() {
      return listeners.size;
    },
    async close() {
      clearInterval(heartbeat);
      unsubscribe();
      server.off('upgrade', onUpgrade);
      for (const listener of listeners) listener.socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
