import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A stand-in for FeatBit's event endpoint (`POST /api/public/insight/track`) on loopback. It records every
 * batch POSTed to it, with its headers and what it answered, and injects faults on demand: a status (503,
 * 429, 400…), a dropped connection, or no answer at all.
 */
export const TRACK_PATH = '/api/public/insight/track';

/** What the server did with a batch. */
export type BatchOutcome = number | 'dropped' | 'hung';

export interface RecordedBatch {
  authorization: string | undefined;
  contentType: string | undefined;
  userAgent: string | undefined;
  /** The body, parsed; the raw text when it is not JSON. */
  body: unknown;
  outcome: BatchOutcome;
}

export type EventsFault =
  | { kind: 'status'; status: number; retryAfter?: string }
  /** The connection is cut before any answer: the batch was not accepted. */
  | { kind: 'drop' }
  /** The request is read and never answered; the connection stays open until the server stops. */
  | { kind: 'hang' };

export class FeatBitEventsServer {
  /** Every batch POSTed to the track path, in arrival order, whatever was answered. */
  readonly batches: RecordedBatch[] = [];
  private faults: { fault: EventsFault; times: number; every: number; seen: number }[] = [];
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  /** @param secret when set, a batch with another `Authorization` is answered 401. */
  constructor(private readonly secret: string | null = null) {}

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('test server not started');
    return `http://127.0.0.1:${address.port}`;
  }

  /** The batches answered 200: what FeatBit would have stored. */
  get accepted(): RecordedBatch[] {
    return this.batches.filter((b) => b.outcome === 200);
  }

  /** The items of every accepted batch, in order. */
  get acceptedItems(): Record<string, unknown>[] {
    return this.accepted.flatMap((b) => b.body as Record<string, unknown>[]);
  }

  /** Faults still to be served (those injected forever are not counted). */
  get pendingFaults(): number {
    return this.faults.reduce((sum, f) => sum + (Number.isFinite(f.times) ? f.times : 0), 0);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }

  /** Serves `fault` to every `every`-th batch (default each one), `times` times in all (default forever). */
  inject(fault: EventsFault, { times = Number.POSITIVE_INFINITY, every = 1 }: { times?: number; every?: number } = {}): void {
    this.faults.push({ fault, times, every, seen: 0 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  private nextFault(): EventsFault | null {
    for (const entry of this.faults) {
      if (entry.times <= 0) continue;
      entry.seen++;
      if (entry.seen % entry.every !== 0) continue;
      entry.times--;
      return entry.fault;
    }
    return null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || req.url !== TRACK_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no route ${req.method} ${req.url}`);
      return;
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const batch: RecordedBatch = {
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      userAgent: req.headers['user-agent'],
      body: parsed(text),
      outcome: 200,
    };
    this.batches.push(batch);
    const fault = this.nextFault();
    if (fault?.kind === 'drop') {
      batch.outcome = 'dropped';
      return void req.socket.destroy();
    }
    if (fault?.kind === 'hang') {
      batch.outcome = 'hung';
      return;
    }
    const status = fault?.kind === 'status' ? fault.status : this.secret !== null && batch.authorization !== this.secret ? 401 : 200;
    batch.outcome = status;
    const headers: Record<string, string> = { 'content-type': 'text/plain' };
    if (fault?.kind === 'status' && fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
    res.writeHead(status, headers).end(status === 200 ? '' : `injected ${status}`);
  }
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
