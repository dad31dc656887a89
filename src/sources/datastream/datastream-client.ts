import type WebSocket from 'ws';
import { loadWebSocket } from '../web-socket';
import type { WireCompany, WireFlag, WireUser } from '../../evaluators/schematic/engine';
import { SDK_NAME, SDK_VERSION } from '../../api/api-requester';
import type { Logger } from '../../core/logger';
import { keysOverlap } from '../../store/entity-store';
import { mergeCompany, mergeUser } from './merge';
import { ENTITY_COMPANIES, ENTITY_COMPANY, ENTITY_FLAG, ENTITY_FLAGS, ENTITY_USER, ENTITY_USERS, readErrorData, readFrame, requestFrame, type ResponseFrame } from './messages';

type Keys = Readonly<Record<string, string>>;
export type DataStreamEntity = 'company' | 'user';

/** Where the DataStream client puts what it hears. The mode implements it over its store. */
export interface DataStreamSink {
  /** The full flag set, on every (re)connect: flags not in it are deleted. */
  replaceFlags(flags: WireFlag[]): Promise<void>;
  putFlag(flag: WireFlag): Promise<void>;
  deleteFlag(flag: { id?: string; key?: string }): Promise<void>;
  putEntity(kind: DataStreamEntity, entity: WireCompany | WireUser): Promise<void>;
  /**
   * Replaces the cached entity with `merge(cached)`, with no other update to it in between (a partial frame
   * merged into a copy read before a concurrent change would undo that change). Resolves `false`, writing
   * nothing, when no copy is cached.
   */
  mergeEntity(kind: DataStreamEntity, id: string, merge: (cached: WireCompany | WireUser) => WireCompany | WireUser): Promise<boolean>;
  deleteEntity(kind: DataStreamEntity, id: string | null, keys: Keys): Promise<void>;
}

export interface DataStreamClientOptions {
  url: string;
  apiKey: string;
  /** `datastream` for a client that evaluates; `replicator` for one that writes a shared cache. */
  connectionMode: 'datastream' | 'replicator';
  sink: DataStreamSink;
  logger: Logger;
  /** Subscribe to every company and user (the replicator role), not just those asked for. @default false */
  subscribeAll?: boolean;
  /** Called when the connection becomes usable (flags loaded) or is lost. */
  onConnectedChange?: (connected: boolean) => void;
  /** @default 30 s */
  flagsTimeoutMs?: number;
  /** @default 54 s */
  pingIntervalMs?: number;
  /** @default 60 s */
  pongTimeoutMs?: number;
  /** First reconnect wait, doubling to 30 s, plus up to 1 s of jitter. @default 1 s */
  reconnectBaseMs?: number;
  /** How long a company or user request may go unanswered before its callers are rejected. @default 10 s */
  requestTimeoutMs?: number;
  random?: () => number;
}

/** One entity request on the wire, shared by every caller asking for the same kind and keys. */
interface Waiter {
  kind: DataStreamEntity;
  keys: Keys;
  answer: Promise<WireCompany | WireUser>;
  /** Callers still waiting; when the last one gives up, nobody needs the answer and the waiter goes. */
  callers: number;
  settle(outcome: { entity: WireCompany | WireUser } | { error: Error }): void;
}

const MAX_RECONNECT_MS = 30_000;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export class DataStreamError extends Error {}

/**
 * A connection to Schematic's DataStream, as its public SDKs speak it: authenticated in the handshake headers, the
 * flag set requested on every connect, companies and users fetched on demand with concurrent callers
 * sharing one request, full/partial/delete updates applied to the sink, keepalive pings, and reconnects with
 * exponential backoff. A malformed frame is logged and skipped; it never reaches the sink.
 */
export class DataStreamClient {
  private socket: WebSocket | null = null;
  private connectedNow = false;
  private closed = false;
  private failures = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private flagsTimer: ReturnType<typeof setTimeout> | null = null;
  private lastPong = 0;
  /** Pending entity requests by kind and keys, so concurrent callers share one. */
  private readonly waiters = new Map<string, Waiter>();
  private markFirstFlags!: () => void;
  /** Resolves when the first flag set has arrived. */
  readonly firstFlags = new Promise<void>((resolve) => (this.markFirstFlags = resolve));
  /** Frames processed one after another, so a partial never races the full it builds on. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: DataStreamClientOptions) {}

  get connected(): boolean {
    return this.connectedNow;
  }

  start(): void {
    this.connect();
  }

  /** Entity requests still waiting for an answer. */
  get pendingRequests(): number {
    return this.waiters.size;
  }

  /**
   * A company or user by keys: asked for once however many callers want it, answered when it arrives.
   * Rejects when no answer comes within `requestTimeoutMs`, or when `signal` aborts first.
   */
  requestEntity(kind: DataStreamEntity, keys: Keys, signal?: AbortSignal): Promise<WireCompany | WireUser> {
    if (!this.connectedNow || !this.socket) return Promise.reject(new DataStreamError('DataStream is not connected'));
    if (signal?.aborted) return Promise.reject(new DataStreamError(`no ${kind} arrived in time`));
    const id = `${kind}:${JSON.stringify(Object.entries(keys).sort())}`;
    let waiter = this.waiters.get(id);
    if (!waiter) {
      waiter = this.newWaiter(id, kind, keys);
      this.socket.send(requestFrame(kind === 'company' ? ENTITY_COMPANY : ENTITY_USER, keys));
    }
    const shared = waiter;
    shared.callers++;
    if (!signal) return shared.answer;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        reject(new DataStreamError(`no ${kind} arrived in time`));
        // Nobody else wants this answer: stop holding the waiter (the server may never reply).
        if (--shared.callers === 0) shared.settle({ error: new DataStreamError(`${kind} request abandoned`) });
      };
      signal.addEventListener('abort', onAbort, { once: true });
      shared.answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** A waiter that settles once (an answer, an error frame, its deadline, or the connection dropping) and then forgets itself. */
  private newWaiter(id: string, kind: DataStreamEntity, keys: Keys): Waiter {
    const timeoutMs = this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    let resolve!: (entity: WireCompany | WireUser) => void;
    let reject!: (error: Error) => void;
    const answer = new Promise<WireCompany | WireUser>((res, rej) => ((resolve = res), (reject = rej)));
    // Every caller attaches its own handler; this one only keeps an abandoned request's rejection from being unhandled.
    answer.catch(() => undefined);
    const timer = setTimeout(() => waiter.settle({ error: new DataStreamError(`no ${kind} arrived within ${timeoutMs} ms`) }), timeoutMs);
    timer.unref?.();
    const waiter: Waiter = {
      kind,
      keys,
      answer,
      callers: 0,
      settle: (outcome) => {
        if (this.waiters.get(id) !== waiter) return;
        this.waiters.delete(id);
        clearTimeout(timer);
        if ('entity' in outcome) resolve(outcome.entity);
        else reject(outcome.error);
      },
    };
    this.waiters.set(id, waiter);
    return waiter;
  }

  /**
   * Runs `work` after the frames received so far are applied and before any received later: a sink's own
   * writes (doing again what Redis refused) then never overtake, or get overtaken by, the stream's updates.
   */
  inOrder<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Drops the connection and opens a new one: the flag set (and, subscribed to all, every entity) comes again. */
  reconnect(): void {
    if (!this.closed) this.socket?.terminate();
  }

  /** Asks for the whole flag set again (after a webhook said flags changed). */
  refreshFlags(): void {
    if (this.connectedNow) this.socket?.send(requestFrame(ENTITY_FLAGS));
  }

  close(): void {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.dropConnection(new DataStreamError('DataStream client closed'));
  }

  private connect(): void {
    if (this.closed) return;
    loadWebSocket().then(
      (WebSocketClass) => this.open(WebSocketClass),
      (error: unknown) => this.options.logger.error('DataStream cannot load its WebSocket client (ws)', error),
    );
  }

  private open(WebSocketClass: typeof WebSocket): void {
    // Closed, or connected by another path, while ws was loading.
    if (this.closed || this.socket !== null) return;
    const socket = new WebSocketClass(this.options.url, {
      headers: {
        'X-Schematic-Api-Key': this.options.apiKey,
        'X-Schematic-Client': SDK_NAME,
        'X-Schematic-Client-Version': SDK_VERSION,
        'X-Schematic-Datastream-Mode': this.options.connectionMode,
      },
      handshakeTimeout: 30_000,
    });
    this.socket = socket;
    socket.on('open', () => {
      this.lastPong = Date.now();
      socket.send(requestFrame(ENTITY_FLAGS));
      // No flag set in time: this connection is no good; drop it and try again.
      this.flagsTimer = setTimeout(() => socket.terminate(), this.options.flagsTimeoutMs ?? 30_000);
      this.pingTimer = setInterval(() => this.keepAlive(socket), this.options.pingIntervalMs ?? 54_000);
    });
    socket.on('pong', () => (this.lastPong = Date.now()));
    socket.on('message', (data) => {
      const text = data.toString();
      this.queue = this.queue.then(() => this.handle(text)).catch((error) => this.options.logger.error('DataStream frame failed', error));
    });
    socket.on('error', (error) => this.options.logger.debug(`DataStream socket error: ${error.message}`));
    socket.on('close', () => {
      if (this.socket !== socket) return;
      const wasConnected = this.connectedNow;
      this.dropConnection(new DataStreamError('DataStream disconnected'));
      this.scheduleReconnect(wasConnected);
    });
  }

  private keepAlive(socket: WebSocket): void {
    if (Date.now() - this.lastPong > (this.options.pongTimeoutMs ?? 60_000)) {
      this.options.logger.warn('DataStream stopped answering pings; reconnecting');
      socket.terminate();
      return;
    }
    socket.ping();
  }

  private scheduleReconnect(wasConnected: boolean): void {
    if (this.closed) return;
    // A connection that was working comes back at once; failed attempts back off.
    if (wasConnected) this.failures = 0;
    const delay = wasConnected ? 0 : this.backoff(this.failures++);
    if (!wasConnected) this.options.logger.debug(`DataStream connect failed; retrying in ${Math.round(delay)} ms`);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
    this.reconnectTimer.unref?.();
  }

  private backoff(failures: number): number {
    const base = this.options.reconnectBaseMs ?? 1000;
    return Math.min(base * 2 ** failures, MAX_RECONNECT_MS) + (this.options.random ?? Math.random)() * Math.min(base, 1000);
  }

  private dropConnection(reason: Error): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.flagsTimer) clearTimeout(this.flagsTimer);
    this.pingTimer = null;
    this.flagsTimer = null;
    const socket = this.socket;
    this.socket = null;
    socket?.removeAllListeners('message');
    if (socket && socket.readyState !== socket.CLOSED) socket.terminate();
    for (const waiter of [...this.waiters.values()]) waiter.settle({ error: reason });
    this.setConnected(false);
  }

  private setConnected(connected: boolean): void {
    if (this.connectedNow === connected) return;
    this.connectedNow = connected;
    this.options.onConnectedChange?.(connected);
  }

  private async handle(text: string): Promise<void> {
    const read = readFrame(text);
    if ('problem' in read) {
      this.options.logger.warn(`DataStream sent a frame flagwire cannot read (${read.problem}); skipped`);
      return;
    }
    const { frame } = read;
    try {
      await this.apply(frame);
    } catch (error) {
      this.options.logger.warn(`DataStream ${frame.entity_type} ${frame.message_type} frame was not applied: ${(error as Error).message}`);
    }
  }

  private async apply(frame: ResponseFrame): Promise<void> {
    const { sink } = this.options;
    if (frame.message_type === 'error') return this.rejectWaiters(frame);
    // The server's replay window is gone: start over with a fresh connection and a fresh flag set.
    if (frame.message_type === 'reload') return void this.socket?.terminate();
    switch (frame.entity_type) {
      case ENTITY_FLAGS: {
        if (!Array.isArray(frame.data)) throw new DataStreamError('the flag set is not a list');
        const flags = (frame.data as WireFlag[]).filter((f) => f && typeof f === 'object' && typeof f.key === 'string' && f.key !== '');
        await sink.replaceFlags(flags);
        if (this.flagsTimer) clearTimeout(this.flagsTimer);
        this.failures = 0;
        if (this.options.subscribeAll) {
          this.socket?.send(JSON.stringify({ data: { entity_type: ENTITY_COMPANIES, action: 'start' } }));
          this.socket?.send(JSON.stringify({ data: { entity_type: ENTITY_USERS, action: 'start' } }));
        }
        this.setConnected(true);
        this.markFirstFlags();
        return;
      }
      case ENTITY_FLAG:
        if (frame.message_type === 'delete') return sink.deleteFlag((frame.data ?? {}) as { id?: string; key?: string });
        if (frame.message_type === 'full') return sink.putFlag(frame.data as WireFlag);
        return;
      case ENTITY_COMPANY:
        return this.applyEntity('company', frame);
      case ENTITY_USER:
        return this.applyEntity('user', frame);
      default:
        this.options.logger.debug(`DataStream frame for ${frame.entity_type} ignored`);
    }
  }

  private async applyEntity(kind: DataStreamEntity, frame: ResponseFrame): Promise<void> {
    const { sink } = this.options;
    const data = frame.data as (WireCompany & WireUser) | null;
    if (frame.message_type === 'full') {
      if (!data || typeof data.id !== 'string') throw new DataStreamError(`a full ${kind} without an id`);
      await sink.putEntity(kind, data);
      for (const waiter of [...this.waiters.values()]) {
        if (waiter.kind === kind && keysOverlap(waiter.keys, data.keys)) waiter.settle({ entity: data });
      }
      return;
    }
    if (frame.message_type === 'delete') {
      return sink.deleteEntity(kind, frame.entity_id ?? data?.id ?? null, data?.keys ?? {});
    }
    if (frame.message_type === 'partial') {
      const id = frame.entity_id;
      const partial = (data ?? {}) as Record<string, unknown>;
      const merge = (cached: WireCompany | WireUser) => (kind === 'company' ? mergeCompany(cached as WireCompany, partial) : mergeUser(cached as WireUser, partial));
      if (!id || !(await sink.mergeEntity(kind, id, merge))) {
        this.options.logger.warn(`DataStream partial ${kind} ${id ?? '(no entity_id)'} skipped: no cached copy to merge into`);
      }
    }
  }

  private rejectWaiters(frame: ResponseFrame): void {
    const parsed = readErrorData(frame.data);
    if (parsed === null) return void this.options.logger.warn('DataStream error frame without a readable body');
    const { error, keys, entity_type } = parsed;
    this.options.logger.debug(`DataStream error: ${error}`);
    if (!keys) return;
    const kind = (entity_type ?? frame.entity_type) === ENTITY_USER ? 'user' : 'company';
    for (const waiter of [...this.waiters.values()]) {
      if (waiter.kind === kind && keysOverlap(waiter.keys, keys)) waiter.settle({ error: new DataStreamError(`${kind} not found: ${error}`) });
    }
  }
}
