import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { FaultSchedule, type FaultTiming } from './fault-schedule';
import { jsonOrText, LoopbackHttpServer, readBody } from './loopback-http';

/**
 * A stand-in for Schematic's REST API and event capture on loopback: their paths, headers and bodies,
 * answers from a flag table, and faults on demand. It records every request so tests can assert the exact
 * wire bodies.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string; rateLimitReset?: string }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'drop' }
  /** The request is processed (events recorded), then the connection is cut before the answer. */
  | { kind: 'drop-after-processing' }
  | { kind: 'malformed' };

export interface FlagAnswer {
  value: boolean;
  reason?: string;
  rule_type?: string;
}

export interface WireEvent {
  api_key: string;
  type: string;
  body: Record<string, unknown>;
  idempotency_key?: string;
  sent_at?: string;
}

export class SchematicTestServer {
  readonly requests: RecordedRequest[] = [];
  /** Every event received, in arrival order (duplicates included). */
  readonly events: WireEvent[] = [];
  /** Answers by flag key; unlisted flags are absent from bulk answers and 404 on single checks. */
  flags: Record<string, FlagAnswer> = {};
  /** Applied to matching requests, in order: each fault serves `times` requests (forever when omitted). */
  private readonly faults = new FaultSchedule<Fault>();
  private readonly http = new LoopbackHttpServer((req, res) => this.handle(req, res));

  /** The underlying HTTP server, for a DataStream stand-in to share its origin. */
  get httpServer(): Server {
    return this.http.httpServer;
  }

  get url(): string {
    return this.http.url;
  }

  async start(): Promise<this> {
    await this.http.start();
    return this;
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  /**
   * Adds a fault for requests whose path matches: on every `every`-th such request (default each one),
   * `times` times in all (default forever).
   */
  inject(fault: Fault, options: FaultTiming & { path?: RegExp } = {}): void {
    this.faults.add(fault, options);
  }

  /** Faults still to be served. */
  get pendingFaults(): number {
    return this.faults.pending;
  }

  clearFaults(): void {
    this.faults.clear();
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const body = text ? jsonOrText(text) : undefined;
    const path = req.url ?? '/';
    this.requests.push({ method: req.method ?? '', path, headers: req.headers, body });
    const fault = this.faults.next(path);
    if (fault?.kind === 'drop') return void req.socket.destroy();
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfter) headers['retry-after'] = fault.retryAfter;
      if (fault.rateLimitReset) headers['x-ratelimit-reset'] = fault.rateLimitReset;
      res.writeHead(fault.status, headers).end(JSON.stringify({ error: `injected ${fault.status}` }));
      return;
    }
    if (fault?.kind === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data": {"value": tru');
      return;
    }
    if (req.headers['x-schematic-api-key'] !== 'sch_test_key') {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid api key' }));
      return;
    }
    const answer = this.route(req.method ?? '', path, body);
    if (fault?.kind === 'drop-after-processing') return void req.socket.destroy();
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
  }

  private checkData(key: string, context: { company?: unknown; user?: unknown }) {
    const answer = this.flags[key];
    if (!answer) return null;
    return {
      flag: key,
      value: answer.value,
      reason: answer.reason ?? (answer.value ? 'Matched standard rule "test" (rule_1)' : 'No rules matched; default value for flag'),
      flag_id: `flag_${key}`,
      rule_id: answer.value ? 'rule_1' : null,
      rule_type: answer.rule_type ?? (answer.value ? 'standard' : null),
      company_id: context.company ? 'comp_1' : null,
      user_id: context.user ? 'user_1' : null,
      error: null,
    };
  }

  private route(method: string, path: string, body: unknown): { status: number; body: unknown } {
    const context = (body ?? {}) as { company?: unknown; user?: unknown; events?: WireEvent[]; keys?: Record<string, string>; name?: string; traits?: unknown };
    if (method === 'POST' && path === '/batch') {
      const events = context.events ?? [];
      if (events.length > 100) return { status: 400, body: { error: 'batch too large', max_size: 100 } };
      this.events.push(...events);
      return { status: 200, body: {} };
    }
    if (method === 'POST' && path === '/flags/check') {
      const flags = Object.keys(this.flags).map((key) => this.checkData(key, context));
      return { status: 200, body: { data: { flags }, params: {} } };
    }
    const single = /^\/flags\/([^/]+)\/check$/.exec(path);
    if (method === 'POST' && single) {
      const data = this.checkData(decodeURIComponent(single[1] ?? ''), context);
      return data ? { status: 200, body: { data, params: {} } } : { status: 404, body: { error: 'flag not found' } };
    }
    if (method === 'POST' && (path === '/companies' || path === '/users')) {
      const id = `${path === '/companies' ? 'comp' : 'user'}_${Object.values(context.keys ?? {})[0] ?? 'x'}`;
      return { status: 200, body: { data: { id, keys: context.keys, name: context.name ?? '', traits: context.traits ?? {} }, params: {} } };
    }
    return { status: 404, body: { error: `no route ${method} ${path}` } };
  }
}
