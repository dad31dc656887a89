import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { decodeFeatBitToken } from '../../src/sources/featbit/token';

/**
 * A stand-in for FeatBit's evaluation server on loopback (data sync and polling, as FeatBit's server SDK spec has them): the
 * data-sync WebSocket on `/streaming` (the token must decode to the env secret, else close 4003), `latest-all`
 * polling with ETags (`Authorization` must be the raw secret, else 401), and an insight endpoint that records
 * what it gets. Both data-sync answers honour the request timestamp: 0 gets a `full`, later ones a `patch` with
 * only the newer rows. It misbehaves on demand: refuse or reject connections, cut them, close them with a code,
 * send raw frames, stall or delay answers, fail polls, go silent on a connection (no pongs, no answers, as a
 * peer that died without a word). It can answer an unchanged poll as FeatBit does, 200 with an empty body.
 *
 * Events (for tests to await): `upgrade` (every attempt, refused ones too), `rejected` (raw token), `connection` ({ token, secret, timestampMs }), `data-sync` (request timestamp),
 * `ping`, `close` (code), `poll` (PollRecord), `insight` (body).
 */
type Json = Record<string, unknown>;

/** Flags and segments as FeatBit's wire JSON (`FeatBitFlag`, `FeatBitSegment`, or anything else to send as it is). */
export interface FeatBitData {
  flags?: readonly object[];
  segments?: readonly object[];
}

export interface PollRecord {
  timestamp: number;
  authorization: string | undefined;
  ifNoneMatch: string | undefined;
  status: number;
}

export interface FeatBitServerCounts {
  /** WebSocket upgrade requests, refused ones included. */
  upgrades: number;
  /** Connections accepted with a valid token. */
  connections: number;
  /** Connections closed with 4003 because the token or type was not valid. */
  rejected: number;
  dataSyncRequests: number;
  pings: number;
  polls: number;
  insightPosts: number;
}

export const FEATBIT_TEST_SECRET = 'Yj9cHNz1ZkS1Xc0pI0XnYwQTYx7AvPbkm1wDrhTXDcCw==';

const rows = (given: readonly object[] | undefined) => (given ?? []) as readonly Json[];

const versionOf = (row: Json) => {
  const ms = typeof row.updatedAt === 'string' ? Date.parse(row.updatedAt) : Number.NaN;
  return Number.isFinite(ms) ? ms : 0;
};

function upsert(rows: readonly Json[], incoming: readonly Json[], name: 'key' | 'id'): Json[] {
  const byName = new Map(rows.map((row) => [row[name], row]));
  for (const row of incoming) byName.set(row[name], row);
  return [...byName.values()];
}

export class FeatBitTestServer extends EventEmitter {
  readonly secret: string;
  flags: Json[] = [];
  segments: Json[] = [];
  /** While true, WebSocket upgrades are answered `503` (the service is down). */
  refusing = false;
  /** When set, each new connection is closed at once with this code (4003: the request is rejected). */
  closeOnConnect: number | null = null;
  /** While true, data-sync requests are read but never answered. */
  stalled = false;
  /** How long data-sync answers and polls wait before answering. */
  replyDelayMs = 0;
  /** When set, polls answer this status (with an empty body) instead of data. */
  pollStatus: number | null = null;
  /** When true, a poll with a timestamp and nothing newer gets FeatBit's own answer: 200 with an empty body. */
  emptyWhenUnchanged = false;
  readonly counts: FeatBitServerCounts = { upgrades: 0, connections: 0, rejected: 0, dataSyncRequests: 0, pings: 0, polls: 0, insightPosts: 0 };
  /** The timestamp of every data-sync request, in order. */
  readonly dataSyncTimestamps: number[] = [];
  /** Every frame received from clients: parsed JSON, or the text when it is not JSON. */
  readonly received: unknown[] = [];
  readonly polls: PollRecord[] = [];
  /** The close code each accepted connection ended with (FeatBit's Node SDK closes its own with 4003). */
  readonly closeCodes: number[] = [];
  /** Every data-sync answer sent on a socket, as sent. */
  readonly answers: string[] = [];
  /** Bodies posted to the insight endpoint. */
  readonly insights: unknown[] = [];
  private http: Server | null = null;
  private wss: WebSocketServer | null = null;
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly rawSockets = new Set<Socket>();
  private readonly silenced = new WeakSet<WebSocket>();

  constructor(options: { secret?: string } = {}) {
    super();
    this.secret = options.secret ?? FEATBIT_TEST_SECRET;
  }

  /** The http base: streaming (`/streaming`), polling and insight URLs all hang off it. */
  get url(): string {
    const address = this.http?.address() as AddressInfo | null;
    if (!address) throw new Error('FeatBit test server not started');
    return `http://127.0.0.1:${address.port}`;
  }

  /** Open WebSocket connections. */
  get connections(): number {
    return this.wss?.clients.size ?? 0;
  }

  async start(): Promise<this> {
    // Pongs are sent by hand, so a silenced connection can withhold them.
    this.wss = new WebSocketServer({ noServer: true, autoPong: false });
    this.http = createServer((request, response) => void this.onHttp(request, response));
    this.http.on('connection', (socket: Socket) => {
      this.rawSockets.add(socket);
      socket.once('close', () => this.rawSockets.delete(socket));
    });
    this.http.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => this.onUpgrade(request, socket, head));
    await new Promise<void>((resolve) => this.http?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const client of this.wss?.clients ?? []) client.terminate();
    for (const socket of this.rawSockets) socket.destroy();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.http ? this.http.close(() => resolve()) : resolve()));
    this.wss = null;
    this.http = null;
  }

  /** Replaces the server's data without telling anyone: connections and polls from now on see it. */
  setAll(data: FeatBitData): void {
    this.flags = [...rows(data.flags)];
    this.segments = [...rows(data.segments)];
  }

  /** Upserts rows (by flag key, segment id) and sends them to every connection as a `patch`. */
  push(patch: FeatBitData): void {
    this.flags = upsert(this.flags, rows(patch.flags), 'key');
    this.segments = upsert(this.segments, rows(patch.segments), 'id');
    this.sendRaw(envelope('patch', rows(patch.flags), rows(patch.segments)));
  }

  /** Sends everything the server holds to every connection as a `full`. */
  pushFull(): void {
    this.sendRaw(envelope('full', this.flags, this.segments));
  }

  /** Sends text (or bytes) as it is to every connection. */
  sendRaw(frame: string | Buffer): void {
    for (const client of this.wss?.clients ?? []) client.send(frame);
  }

  /** Cuts every connection without a close frame. */
  dropAll(): void {
    for (const client of this.wss?.clients ?? []) client.terminate();
  }

  /** Every open connection stops answering anything (pings, application pings, data-sync requests), without closing. */
  silenceAll(): void {
    for (const client of this.wss?.clients ?? []) this.silenced.add(client);
  }

  /** Closes every connection with a close frame carrying `code`. */
  closeAll(code: number, reason = ''): void {
    for (const client of this.wss?.clients ?? []) client.close(code, reason);
  }

  /** What a data-sync request (socket or poll) with this timestamp gets. */
  answerFor(timestamp: number): string {
    if (!(timestamp > 0)) return envelope('full', this.flags, this.segments);
    const newer = (row: Json) => versionOf(row) > timestamp;
    return envelope('patch', this.flags.filter(newer), this.segments.filter(newer));
  }

  private later(action: () => void): void {
    if (this.replyDelayMs <= 0) return action();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, this.replyDelayMs);
    this.timers.add(timer);
  }

  private onUpgrade(request: IncomingMessage, socket: Socket, head: Buffer): void {
    this.counts.upgrades++;
    this.emit('upgrade');
    // Past 'upgrade' the socket is ours: a client vanishing mid-refusal must not become an uncaught error.
    socket.on('error', () => {});
    const url = new URL(request.url ?? '/', 'http://featbit.test');
    if (url.pathname !== '/streaming') return void socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    if (this.refusing) return void socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    this.wss?.handleUpgrade(request, socket, head, (client) => this.onConnection(client, url));
  }

  private onConnection(client: WebSocket, url: URL): void {
    client.on('error', () => {});
    const token = url.searchParams.get('token') ?? '';
    const decoded = decodeFeatBitToken(token);
    // FeatBit accepts the socket, then closes it with 4003 when the request is not valid.
    if (url.searchParams.get('type') !== 'server' || decoded?.secret !== this.secret.replace(/=+$/, '')) {
      this.counts.rejected++;
      this.emit('rejected', token);
      return client.close(4003, 'invalid request, close by server');
    }
    if (this.closeOnConnect !== null) return client.close(this.closeOnConnect, 'closed by test');
    this.counts.connections++;
    client.on('close', (code) => {
      this.closeCodes.push(code);
      this.emit('close', code);
    });
    this.emit('connection', { token, ...decoded });
    client.on('ping', (data) => {
      if (!this.silenced.has(client)) client.pong(data);
    });
    client.on('message', (data) => {
      if (!this.silenced.has(client)) this.onFrame(client, data.toString());
    });
  }

  private onFrame(client: WebSocket, text: string): void {
    let frame: { messageType?: unknown; data?: { timestamp?: unknown } | null };
    try {
      frame = JSON.parse(text) as typeof frame;
    } catch {
      this.received.push(text);
      return;
    }
    this.received.push(frame);
    if (frame?.messageType === 'ping') {
      this.counts.pings++;
      this.emit('ping');
      client.send(JSON.stringify({ messageType: 'pong', data: {} }));
      return;
    }
    if (frame?.messageType !== 'data-sync') return;
    const timestamp = typeof frame.data?.timestamp === 'number' ? frame.data.timestamp : 0;
    this.counts.dataSyncRequests++;
    this.dataSyncTimestamps.push(timestamp);
    this.emit('data-sync', timestamp);
    if (this.stalled) return;
    // The answer reflects the data when the request arrived, as a real server's snapshot would.
    const answer = this.answerFor(timestamp);
    this.later(() => {
      this.answers.push(answer);
      client.send(answer);
    });
  }

  private async onHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://featbit.test');
    if (request.method === 'POST' && url.pathname === '/api/public/insight/track') {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      this.counts.insightPosts++;
      const body = parseOrText(Buffer.concat(chunks).toString('utf8'));
      this.insights.push(body);
      this.emit('insight', body);
      return void response.writeHead(200).end();
    }
    if (request.method === 'GET' && url.pathname === '/api/public/sdk/server/latest-all') return this.onPoll(request, response, url);
    response.writeHead(404).end();
  }

  private onPoll(request: IncomingMessage, response: ServerResponse, url: URL): void {
    this.counts.polls++;
    const timestamp = Number(url.searchParams.get('timestamp') ?? '0') || 0;
    const authorization = request.headers.authorization;
    const ifNoneMatch = request.headers['if-none-match'];
    const answer = this.answerFor(timestamp);
    const etag = `"${createHash('sha1').update(answer).digest('hex')}"`;
    const status = authorization !== this.secret ? 401 : (this.pollStatus ?? (ifNoneMatch === etag ? 304 : 200));
    const record: PollRecord = { timestamp, authorization, ifNoneMatch, status };
    this.polls.push(record);
    this.emit('poll', record);
    const unchanged = this.emptyWhenUnchanged && timestamp > 0 && answer === envelope('patch', [], []);
    this.later(() => {
      if (status !== 200) return void response.writeHead(status).end();
      if (unchanged) return void response.writeHead(200, { 'Content-Length': '0' }).end();
      response.writeHead(200, { 'Content-Type': 'application/json', ETag: etag }).end(answer);
    });
  }
}

function envelope(eventType: 'full' | 'patch', featureFlags: readonly Json[], segments: readonly Json[]): string {
  return JSON.stringify({ messageType: 'data-sync', data: { eventType, featureFlags, segments } });
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
