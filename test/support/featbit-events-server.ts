import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultSchedule, type FaultTiming } from './fault-schedule';
import { jsonOrText, LoopbackHttpServer, readBody } from './loopback-http';

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
  private readonly faults = new FaultSchedule<EventsFault>();
  private readonly http = new LoopbackHttpServer((req, res) => this.handle(req, res));

  /** @param secret when set, a batch with another `Authorization` is answered 401. */
  constructor(private readonly secret: string | null = null) {}

  get url(): string {
    return this.http.url;
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
    return this.faults.pending;
  }

  async start(): Promise<this> {
    await this.http.start();
    return this;
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  /** Serves `fault` to every `every`-th batch (default each one), `times` times in all (default forever). */
  inject(fault: EventsFault, timing: FaultTiming = {}): void {
    this.faults.add(fault, timing);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    if (req.method !== 'POST' || req.url !== TRACK_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no route ${req.method} ${req.url}`);
      return;
    }
    const batch: RecordedBatch = {
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      userAgent: req.headers['user-agent'],
      body: jsonOrText(text),
      outcome: 200,
    };
    this.batches.push(batch);
    const fault = this.faults.next();
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
