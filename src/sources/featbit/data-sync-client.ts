import type WebSocket from 'ws';
import { loadWebSocket } from '../web-socket';
import type { Logger } from '../../core/logger';
import { DEFAULT_MAX_FRAME_BYTES, DEFAULT_MAX_FRAME_ROWS } from './featbit-options';
import type { FeatBitStore } from './featbit-store';
import { FeatBitPoller } from './polling';
import { DATA_SYNC_PING, dataSyncRequest, type RawFrame, readSyncFrame } from './sync-messages';
import { featBitToken } from './token';
import { featBitStreamingUrl } from './urls';

export interface FeatBitDataSyncOptions {
  envSecret: string;
  /** ws(s):// or http(s):// base; `/streaming?type=server&token=…` is appended. */
  streamingUrl: string;
  /** http(s) base for `GET /api/public/sdk/server/latest-all`, polled while the socket is down; `null` not to poll. */
  pollingUrl: string | null;
  store: FeatBitStore;
  logger: Logger;
  /** After each committed frame that changed something, with the keys of flags whose answers may have changed. */
  onChange(keys: readonly string[]): void;
  /** Whether flagwire is in sync with FeatBit: a frame committed on the open socket, or the last poll answered while it is down. */
  onConnectedChange?(connected: boolean): void;
  /** FeatBit closed the socket with 4003 (it rejected the request): the sync has stopped for good. */
  onRejected?(): void;
  random?: () => number;
  now?: () => number;
  /** @default 15 000 */
  pingIntervalMs?: number;
  /** The first reconnect step, doubling up to `reconnectMaxMs`; each wait is in [step/2, step). @default 1 000 */
  reconnectBaseMs?: number;
  /** @default 60 000 */
  reconnectMaxMs?: number;
  /** A connection up this long resets the reconnect steps. @default 60 000 */
  healthyAfterMs?: number;
  /** @default 30 000 */
  pollIntervalMs?: number;
  /** For polling. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** The largest frame or polling answer taken, in bytes; a bigger one is refused unread. @default 32 MiB */
  maxFrameBytes?: number;
  /** The most flags and segments one frame or polling answer may carry; more is refused whole. @default 50 000 */
  maxFrameRows?: number;
  /** A connection that sends nothing (no frame, no pong) for this long is cut and reconnected. @default 2 × pingIntervalMs */
  deadAfterMs?: number;
}

/** FeatBit's close code for a request it rejects (a bad token or secret): reconnecting cannot help. */
const REJECTED = 4003;
const HANDSHAKE_TIMEOUT_MS = 30_000;
const DEFAULT_PING_INTERVAL_MS = 15_000;
/** What ws reports when a frame is over `maxPayload`: it stops reading the frame and closes with 1009. */
const TOO_BIG = 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';
/** How long close() waits for the server to answer its close frame before cutting the connection. */
const CLOSE_WAIT_MS = 1_000;

/**
 * FeatBit's data sync (its server SDK spec): a WebSocket to `/streaming` with a fresh token per
 * connection, asking on open for everything newer than the store's version and applying the `full` and `patch`
 * frames that come back; application pings, and a connection that stays silent (no frame, no pong) past
 * `deadAfterMs` is cut, as a dead peer never says it is gone; reconnects with exponential backoff and jitter,
 * the steps starting over after a healthy connection; polling `latest-all` while the socket is down. Close code
 * 4003 stops it for good. A frame that cannot be read is logged and skipped, one over the byte or row caps is
 * refused with the data held kept: nothing the server sends can throw out of here or take the process with it.
 */
export class FeatBitDataSync {
  private socket: WebSocket | null = null;
  private started = false;
  private stopped = false;
  private attempts = 0;
  private openedAt: number | null = null;
  private connectedNow = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private silenceTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly poller: FeatBitPoller | null;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly maxFrameBytes: number;
  private readonly maxFrameRows: number;
  private readonly pingIntervalMs: number;

  constructor(private readonly options: FeatBitDataSyncOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.maxFrameRows = options.maxFrameRows ?? DEFAULT_MAX_FRAME_ROWS;
    this.pingIntervalMs = options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS;
    this.poller =
      options.pollingUrl === null
        ? null
        : new FeatBitPoller({
            baseUrl: options.pollingUrl,
            envSecret: options.envSecret,
            logger: options.logger,
            intervalMs: options.pollIntervalMs ?? 30_000,
            timestamp: () => options.store.version,
            onFrame: (frame) => this.commit(frame),
            onOutcome: (ok) => this.setConnected(ok),
            fetch: options.fetch,
            maxAnswerBytes: this.maxFrameBytes,
          });
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.connect();
  }

  /** Stops everything — socket, timers, polling — and resolves once nothing is left that would keep the process alive. */
  async close(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.stopPing();
    const socket = this.socket;
    this.socket = null;
    await Promise.all([this.poller?.stop(), socket && closeSocket(socket)]);
  }

  private connect(): void {
    if (this.stopped) return;
    loadWebSocket().then(
      (WebSocketClass) => this.open(WebSocketClass),
      (error: unknown) => this.options.logger.error('FeatBit data sync cannot load its WebSocket client (ws)', error),
    );
  }

  private open(WebSocketClass: typeof WebSocket): void {
    // Stopped, or connected by another path, while ws was loading.
    if (this.stopped || this.socket !== null) return;
    const token = featBitToken(this.options.envSecret, this.now(), this.random());
    let socket: WebSocket;
    try {
      socket = new WebSocketClass(featBitStreamingUrl(this.options.streamingUrl, token), { handshakeTimeout: HANDSHAKE_TIMEOUT_MS, perMessageDeflate: false, maxPayload: this.maxFrameBytes });
    } catch (error) {
      // Only a URL ws cannot use gets here; the options were checked at creation, so say it loudly and stop.
      this.stopped = true;
      this.options.logger.error(`FeatBit data sync cannot connect to ${this.options.streamingUrl}: ${(error as Error).message}`);
      return;
    }
    this.socket = socket;
    let opened = false;
    /** Why flagwire ended this connection, for the line that says so. */
    let cut: 'too big' | 'silent' | null = null;
    const heard = () => {
      if (this.socket === socket) this.silenceTimer?.refresh();
    };
    socket.on('open', () => {
      if (this.socket !== socket) return;
      opened = true;
      this.openedAt = this.now();
      void this.poller?.stop();
      socket.send(dataSyncRequest(this.options.store.version));
      this.silenceTimer = setTimeout(() => {
        cut = 'silent';
        socket.terminate();
      }, this.options.deadAfterMs ?? 2 * this.pingIntervalMs);
      this.silenceTimer.unref?.();
      this.pingTimer = setInterval(() => {
        if (socket.readyState !== socket.OPEN) return;
        socket.send(DATA_SYNC_PING);
        // A protocol ping too: its pong proves the peer alive even if it never answers the application's.
        socket.ping();
      }, this.pingIntervalMs);
      this.pingTimer.unref?.();
    });
    socket.on('message', (data) => {
      if (this.socket !== socket) return;
      heard();
      this.onFrame(data);
    });
    socket.on('pong', heard);
    socket.on('error', (error: Error & { code?: string }) => {
      if (error.code === TOO_BIG) cut = 'too big';
      this.options.logger.debug(`FeatBit data sync socket error: ${error.message}`);
    });
    socket.on('close', (code, reason) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.onClosed(code, reason.toString('utf8'), opened, cut);
    });
  }

  private onFrame(data: RawFrame): void {
    const frame = readSyncFrame(data);
    if (frame.kind === 'ignored') {
      if (frame.reason !== 'pong') this.options.logger.warn(`FeatBit sent a frame flagwire cannot use (${frame.reason}); skipped`);
      return;
    }
    this.commit(frame);
  }

  /** Applies a frame (from the socket or a poll), unless it has more rows than the cap; whether it was taken. */
  private commit(frame: { eventType: 'full' | 'patch'; flags: unknown[]; segments: unknown[] }): boolean {
    const { store, logger } = this.options;
    const rows = frame.flags.length + frame.segments.length;
    if (rows > this.maxFrameRows) {
      logger.error(`FeatBit sent a ${frame.eventType} of ${rows} flags and segments, over featbit.maxFrameRows (${this.maxFrameRows}): refused, the ${store.flagKeys().length} flags held are kept`);
      return false;
    }
    const changed = frame.eventType === 'full' ? store.applyFull(frame.flags, frame.segments) : store.applyPatch(frame.flags, frame.segments);
    this.setConnected(true);
    if (changed.length > 0) this.tell('onChange', () => this.options.onChange(changed));
    return true;
  }

  private onClosed(code: number, reason: string, opened: boolean, cut: 'too big' | 'silent' | null): void {
    this.stopPing();
    const { logger } = this.options;
    if (opened && this.openedAt !== null && this.now() - this.openedAt >= (this.options.healthyAfterMs ?? 60_000)) this.attempts = 0;
    // A failed attempt while the socket is down changes nothing: polling says whether flagwire is in sync then.
    if (opened) this.setConnected(false);
    if (this.stopped) return;
    if (code === REJECTED) {
      this.stopped = true;
      void this.poller?.stop();
      logger.error(`FeatBit rejected the data-sync connection (close code 4003${reason ? `: ${reason}` : ''}); not reconnecting — check the env secret`);
      this.tell('onRejected', () => this.options.onRejected?.());
      return;
    }
    this.poller?.start();
    const delay = this.nextDelay();
    const shown = Math.round(delay);
    const held = `the ${this.options.store.flagKeys().length} flags held are kept`;
    if (cut === 'too big') logger.error(`FeatBit sent a data-sync frame over featbit.maxFrameBytes (${this.maxFrameBytes} bytes): refused unread, ${held}; reconnecting in ${shown} ms`);
    else if (cut === 'silent') logger.warn(`FeatBit data sync heard nothing (no frame, no pong) for ${this.options.deadAfterMs ?? 2 * this.pingIntervalMs} ms: connection cut; reconnecting in ${shown} ms`);
    else if (opened) logger.warn(`FeatBit data sync disconnected (close code ${code}); reconnecting in ${shown} ms`);
    else if (this.attempts === 1) logger.warn(`FeatBit data sync could not connect to ${this.options.streamingUrl}; retrying in ${shown} ms`);
    else logger.debug(`FeatBit data sync could not connect (attempt ${this.attempts}); retrying in ${shown} ms`);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
    this.reconnectTimer.unref?.();
  }

  /** The wait before the next attempt: a step doubling from reconnectBaseMs to reconnectMaxMs, the wait drawn from [step/2, step). */
  private nextDelay(): number {
    const base = this.options.reconnectBaseMs ?? 1_000;
    const step = Math.min(base * 2 ** Math.min(this.attempts++, 30), this.options.reconnectMaxMs ?? 60_000);
    return step / 2 + this.random() * (step / 2);
  }

  private stopPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    this.silenceTimer = null;
  }

  private setConnected(connected: boolean): void {
    if (this.connectedNow === connected || (connected && this.stopped)) return;
    this.connectedNow = connected;
    this.tell('onConnectedChange', () => this.options.onConnectedChange?.(connected));
  }

  /** Calls back into the host; a listener that throws is logged, never allowed to break the sync. */
  private tell(what: string, call: () => void): void {
    try {
      call();
    } catch (error) {
      this.options.logger.error(`FeatBit data sync: ${what} listener threw`, error);
    }
  }
}

/** Closes politely, cutting the connection when the server does not answer in time. */
function closeSocket(socket: WebSocket): Promise<void> {
  if (socket.readyState === socket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => socket.terminate(), CLOSE_WAIT_MS);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.close(1000, 'flagwire closed');
  });
}
