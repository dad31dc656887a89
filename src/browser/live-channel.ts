import type { SnapshotJSON } from 'flagwire/server';
import { isSnapshot } from './flag-store';

/**
 * The browser's side of the flags endpoint and the live channel, with no React in it: the React provider's
 * live updater and the OpenFeature web provider both revalidate through these.
 */

/** The flags endpoint's answer (`snapshot.toJSON()` for the session); throws when it is not one. */
export async function fetchSnapshot(url: string): Promise<SnapshotJSON> {
  const response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`[flagwire] ${url} answered ${response.status}`);
  const body: unknown = await response.json();
  if (!isSnapshot(body)) throw new Error(`[flagwire] ${url} did not answer with snapshot.toJSON()`);
  return body;
}

/** The live channel's WebSocket URL: a ws(s):// URL as given, or a path on this origin. */
export function liveUrl(live: string): string {
  if (/^wss?:\/\//.test(live)) return live;
  const url = new URL(live, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * `refresh`, one run at a time: whatever number of calls arrive while one runs ask for exactly one more run
 * after it, so a burst of notices makes two fetches (the last one sees the last state), not one each.
 */
export function oneAtATime(refresh: () => unknown): () => void {
  let running = false;
  let again = false;
  const run = (): void => {
    running = true;
    again = false;
    Promise.resolve()
      .then(refresh)
      .catch(() => undefined)
      .finally(() => {
        running = false;
        if (again) run();
      });
  };
  return () => {
    if (running) again = true;
    else run();
  };
}

/** How notices arrive: a WebSocket (the Express live channel), or server-sent events (a Next route handler). */
export type LiveTransport = 'websocket' | 'sse';

/** What the channel needs of a connection, whichever the transport. */
interface Connection {
  onopen: (() => void) | null;
  onmessage: (() => void) | null;
  onclose: (() => void) | null;
  close(): void;
}

/**
 * An EventSource as a connection that closes on error: it would reconnect by itself, at its own pace and even
 * while the page sleeps, so the channel's own backoff and sleep apply to it as to a WebSocket.
 */
function eventSourceConnection(url: string): Connection {
  const source = new EventSource(url);
  const connection: Connection = { onopen: null, onmessage: null, onclose: null, close: () => source.close() };
  source.onopen = () => connection.onopen?.();
  source.onmessage = () => connection.onmessage?.();
  source.onerror = () => {
    source.close();
    connection.onclose?.();
  };
  return connection;
}

function webSocketConnection(url: string): Connection {
  const socket = new WebSocket(url);
  const connection: Connection = { onopen: null, onmessage: null, onclose: null, close: () => socket.close() };
  socket.onopen = () => connection.onopen?.();
  socket.onmessage = () => connection.onmessage?.();
  socket.onclose = () => connection.onclose?.();
  return connection;
}

/**
 * A connection to the app's live channel that survives: reconnects with backoff (0.5 s doubling to 30 s, plus
 * jitter), and sleeps while the page is hidden or the browser offline (a notice missed then is made up by
 * revalidating when it wakes). `refresh` may return a promise: the next refresh waits for it.
 * @param url a ws(s):// URL for a WebSocket (see liveUrl), the endpoint's URL for server-sent events
 */
export function openLiveChannel(url: string, refresh: () => unknown, transport: LiveTransport = 'websocket'): () => void {
  // Refreshes never overlap: a notice during one asks for one more after it (see oneAtATime).
  const onNotice = oneAtATime(refresh);
  let socket: Connection | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let stopped = false;
  // Notices are not replayed: a connection that opens again after one was lost refreshes, for what it missed
  // (waking refreshes by itself, so the connection it opens does not again).
  let opened = false;
  let refreshedOnWake = false;
  const awake = () => document.visibilityState !== 'hidden' && navigator.onLine !== false;
  const connect = () => {
    if (stopped || socket || !awake()) return;
    const current = transport === 'sse' ? eventSourceConnection(url) : webSocketConnection(url);
    socket = current;
    current.onopen = () => {
      failures = 0;
      if (opened && !refreshedOnWake) onNotice();
      opened = true;
      refreshedOnWake = false;
    };
    current.onmessage = () => onNotice();
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      if (stopped) return;
      const delay = Math.min(500 * 2 ** failures++, 30_000) * (1 + Math.random() / 2);
      timer = setTimeout(connect, delay);
    };
  };
  const sleep = () => {
    clearTimeout(timer);
    const current = socket;
    socket = null;
    current?.close();
  };
  const wake = () => {
    if (!awake() || socket) return;
    failures = 0;
    refreshedOnWake = true;
    connect();
    onNotice();
  };
  const onVisibility = () => (awake() ? wake() : sleep());
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('online', wake);
  window.addEventListener('offline', sleep);
  connect();
  return () => {
    stopped = true;
    document.removeEventListener('visibilitychange', onVisibility);
    window.removeEventListener('online', wake);
    window.removeEventListener('offline', sleep);
    sleep();
  };
}
