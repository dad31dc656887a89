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
  /**
   * How long an upgrade may wait for its `context`; past it the upgrade is refused (503) and the browser tries
   * again later. Waiting upgrades hold places under the cap, so a context that never settles (a session store
   * that hangs) must not hold them for ever. @default 5000
   */
  contextTimeoutMs?: number;
  /**
   * Notices to one browser are at most this far apart: the first goes at once, and everything that happens
   * in the window after it becomes one more notice at its end. A burst of changes (200 `track()`s, a flood of
   * FeatBit patches) makes two refetches per page, not one each; 0 sends every notice. @default 50
   */
  coalesceMs?: number;
}

interface Listener {
  socket: WebSocket;
  context: EvaluationContext;
  alive: boolean;
  /** When the last notice went, for coalescing. */
  lastSentAt: number;
  /** The notice held back until the coalescing window ends, with what it is about so far. */
  held: { timer: ReturnType<typeof setTimeout>; type: ChangeEvent['type'] } | null;
}

/**
 * Browsers never send data on this channel, so any frame is refused; ws checks the declared length before
 * buffering a payload, so a huge frame costs nothing (default is 100 MiB).
 */
const MAX_CLIENT_PAYLOAD_BYTES = 64;
/** Close code for a browser that sent data: the channel only speaks server → browser. */
const POLICY_VIOLATION = 1008;
/**
 * A notice is ~20 bytes, and the kernel's socket buffers take hundreds of KB before ws has to hold anything,
 * so a listener with this much waiting in process memory has stopped reading. It is dropped rather than
 * buffered without bound: a live browser reconnects and revalidates, so it misses nothing.
 */
const MAX_BUFFERED_BYTES = 16 * 1024;
/**
 * How long another upgrade listener on the same server has to answer an upgrade that is not ours before the
 * socket is closed. Node stops all HTTP timeouts on a socket once it is handed to 'upgrade' listeners, so an
 * upgrade nobody answers would otherwise be held forever.
 */
const UNCLAIMED_UPGRADE_GRACE_MS = 10_000;

/** The request target's path, or null when it cannot be parsed (`GET http://[`): `new URL` throws on it. */
function pathOf(url: string | undefined): string | null {
  try {
    return new URL(url ?? '/', 'http://x').pathname;
  } catch {
    return null;
  }
}

/** Answers an upgrade with a bare HTTP status and closes the socket once the answer is sent. */
function refuse(socket: Duplex, status: string): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * An upgrade that is not for this channel. If ours is the server's only 'upgrade' listener nobody else can
 * answer it (Node hands each upgrade to the listeners present at that moment), so it is refused at once.
 * Otherwise it is another listener's to answer; one that has written nothing and not closed it after the
 * grace period never will, and the socket is closed.
 */
function declineUpgrade(server: Server, socket: Duplex, status: string): void {
  // Node removes its own socket error handler before 'upgrade': without one, a reset would crash the process.
  socket.on('error', () => socket.destroy());
  if (server.listenerCount('upgrade') <= 1) return refuse(socket, status);
  const timer = setTimeout(() => {
    if (!socket.destroyed && ((socket as Duplex & { bytesWritten?: number }).bytesWritten ?? 0) === 0) socket.destroy();
  }, UNCLAIMED_UPGRADE_GRACE_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

const DEFAULT_CONTEXT_TIMEOUT_MS = 5_000;
const DEFAULT_COALESCE_MS = 50;

/**
 * The connection's context, read without ever throwing: a context that fails gives `{}` (flag notices only);
 * one that has not answered in time gives `null` (the upgrade is refused and the browser tries again later).
 */
function contextFor(options: LiveChannelOptions, req: IncomingMessage): Promise<EvaluationContext | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), options.contextTimeoutMs ?? DEFAULT_CONTEXT_TIMEOUT_MS);
    timer.unref();
  });
  const read = new Promise<EvaluationContext | undefined>((resolve) => resolve(options.context?.(req)))
    .then((context) => context ?? {})
    .catch(() => ({}));
  return Promise.race([read, late]).finally(() => clearTimeout(timer));
}

/** Which pages a change concerns: flag changes concern everyone; a company or user change, its own pages. */
function concerns(change: ChangeEvent, context: EvaluationContext, filtered: boolean): boolean {
  if (change.type === 'flags' || !filtered) return true;
  try {
    return keysOverlap(change.type === 'company' ? context.company : context.user, change.keys);
  } catch {
    // A context whose keys cannot be read (a throwing getter) gets the notice: a needless revalidation is
    // cheap, a missed one leaves the page on stale flags.
    return true;
  }
}

/** Sends one notice, dropping a listener that has stopped reading (see MAX_BUFFERED_BYTES). */
function send(listener: Listener, type: ChangeEvent['type']): void {
  const { socket } = listener;
  listener.lastSentAt = Date.now();
  if (socket.readyState !== socket.OPEN) return;
  // terminate, not close: a close frame would wait behind the backlog.
  if (socket.bufferedAmount > MAX_BUFFERED_BYTES) socket.terminate();
  else socket.send(JSON.stringify({ type }));
}

/**
 * A notice, coalesced: at once when the last one went at least `coalesceMs` ago, else folded into the one
 * held for the end of that window. Browsers only learn *that* something changed and refetch everything, so
 * one notice for many changes loses nothing; a window's notices about different kinds say `flags`.
 */
function notify(listener: Listener, type: ChangeEvent['type'], coalesceMs: number): void {
  if (listener.held) {
    if (listener.held.type !== type) listener.held.type = 'flags';
    return;
  }
  const wait = listener.lastSentAt + coalesceMs - Date.now();
  if (wait <= 0) return send(listener, type);
  const timer = setTimeout(() => {
    const held = listener.held;
    listener.held = null;
    if (held) send(listener, held.type);
  }, wait);
  timer.unref();
  listener.held = { timer, type };
}

function forget(listener: Listener): void {
  if (listener.held) clearTimeout(listener.held.timer);
  listener.held = null;
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
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_PAYLOAD_BYTES });
  const listeners = new Set<Listener>();
  // Upgrades waiting for their context hold a place under the cap, or an async context lets any number through.
  let pending = 0;

  const accept = (req: IncomingMessage, socket: Duplex, head: Buffer, context: EvaluationContext) =>
    wss.handleUpgrade(req, socket, head, (ws) => {
      const listener: Listener = { socket: ws, context, alive: true, lastSentAt: 0, held: null };
      listeners.add(listener);
      ws.on('pong', () => (listener.alive = true));
      ws.on('message', () => ws.close(POLICY_VIOLATION, 'this channel does not take messages'));
      ws.on('close', () => {
        listeners.delete(listener);
        forget(listener);
      });
      ws.on('error', () => ws.terminate());
    });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = pathOf(req.url);
    if (target === null) return declineUpgrade(server, socket, '400 Bad Request');
    if (target !== path) return declineUpgrade(server, socket, '404 Not Found');
    socket.on('error', () => socket.destroy());
    if (listeners.size + pending >= maxConnections) return refuse(socket, '503 Service Unavailable');
    pending++;
    void contextFor(options, req).then((context) => {
      pending--;
      // Checked again: connections may have been accepted while this one's context was being read.
      if (context === null || listeners.size >= maxConnections) refuse(socket, '503 Service Unavailable');
      else accept(req, socket, head, context);
    }).catch(() => socket.destroy());
  };
  server.on('upgrade', onUpgrade);

  const coalesceMs = options.coalesceMs ?? DEFAULT_COALESCE_MS;
  const unsubscribe = client.subscribe((change) => {
    const filtered = options.context !== undefined;
    for (const listener of listeners) {
      // One listener's failure must not cost the others their notice.
      try {
        if (concerns(change, listener.context, filtered)) notify(listener, change.type, coalesceMs);
      } catch {
        listener.socket.terminate();
      }
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
      for (const listener of listeners) {
        forget(listener);
        listener.socket.terminate();
      }
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
