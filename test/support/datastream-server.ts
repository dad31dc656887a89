import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

/**
 * A stand-in for Schematic's DataStream on loopback: serves the flag set on request,
 * answers company/user requests by keys (or with an error frame), pushes fulls, partials and deletes on
 * demand, and misbehaves on demand: drop every connection, stall, or send garbage.
 */
type Json = Record<string, unknown>;

export class DataStreamTestServer {
  flags: Json[] = [];
  companies: Json[] = [];
  users: Json[] = [];
  /** Every request frame received, parsed. */
  readonly received: Json[] = [];
  /** Handshake headers of every connection. */
  readonly handshakes: Record<string, string | string[] | undefined>[] = [];
  /** While true, requests are read but never answered. */
  stalled = false;
  /** While true, new connections are cut at once (the service is down). */
  refusing = false;
  /** Answer WebSocket pings (set before start). */
  autoPong = true;
  private http: Server | null = null;
  private ownsHttp = false;
  private wss: WebSocketServer | null = null;

  get url(): string {
    const address = this.http?.address() as AddressInfo | null;
    if (!address) throw new Error('DataStream test server not started');
    return `http://127.0.0.1:${address.port}`;
  }

  get connections(): number {
    return this.wss?.clients.size ?? 0;
  }

  /** Listens on its own port, or shares an existing HTTP server (the REST stand-in's origin). */
  async start(shared?: Server): Promise<this> {
    this.http = shared ?? createServer();
    this.ownsHttp = !shared;
    this.wss = new WebSocketServer({ server: this.http, path: '/datastream', autoPong: this.autoPong });
    this.wss.on('connection', (socket, request) => {
      if (this.refusing) return socket.terminate();
      this.handshakes.push(request.headers);
      if (request.headers['x-schematic-api-key'] !== 'sch_test_key') return socket.close(4001, 'unauthorized');
      socket.on('message', (data) => this.onRequest(socket, data.toString()));
    });
    if (this.ownsHttp) await new Promise<void>((resolve) => this.http?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const client of this.wss?.clients ?? []) client.terminate();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
    if (this.ownsHttp) await new Promise<void>((resolve) => (this.http ? this.http.close(() => resolve()) : resolve()));
    this.wss = null;
    this.http = null;
  }

  /** Cuts every connection without a close frame. */
  dropAll(): void {
    for (const client of this.wss?.clients ?? []) client.terminate();
  }

  /** Sends a frame (or raw text) to every connection. */
  broadcast(frame: Json | string): void {
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
    for (const client of this.wss?.clients ?? []) client.send(text);
  }

  pushFlag(flag: Json): void {
    this.flags = [...this.flags.filter((f) => f.key !== flag.key), flag];
    this.broadcast({ entity_type: 'rulesengine.Flag', message_type: 'full', data: flag, entity_id: flag.id });
  }

  deleteFlag(flag: Json): void {
    this.flags = this.flags.filter((f) => f.key !== flag.key);
    this.broadcast({ entity_type: 'rulesengine.Flag', message_type: 'delete', data: { id: flag.id, key: flag.key }, entity_id: flag.id });
  }

  pushCompanyPartial(id: string, partial: Json): void {
    this.broadcast({ entity_type: 'rulesengine.Company', message_type: 'partial', data: partial, entity_id: id });
  }

  private onRequest(socket: WebSocket, text: string): void {
    let frame: Json;
    try {
      frame = JSON.parse(text) as Json;
    } catch {
      return;
    }
    this.received.push(frame);
    if (this.stalled) return;
    const data = (frame.data ?? {}) as { entity_type?: string; keys?: Record<string, string> };
    if (data.entity_type === 'rulesengine.Flags') {
      socket.send(JSON.stringify({ entity_type: 'rulesengine.Flags', message_type: 'full', data: this.flags }));
      return;
    }
    if (data.entity_type === 'rulesengine.Companies' || data.entity_type === 'rulesengine.Users') {
      const companies = data.entity_type === 'rulesengine.Companies';
      for (const entity of companies ? this.companies : this.users) {
        socket.send(JSON.stringify({ entity_type: companies ? 'rulesengine.Company' : 'rulesengine.User', message_type: 'full', data: entity, entity_id: entity.id }));
      }
      return;
    }
    const isCompany = data.entity_type === 'rulesengine.Company';
    if (isCompany || data.entity_type === 'rulesengine.User') {
      const keys = data.keys ?? {};
      const found = (isCompany ? this.companies : this.users).find((e) =>
        Object.entries(keys).some(([k, v]) => (e.keys as Record<string, string> | undefined)?.[k] === v),
      );
      socket.send(
        JSON.stringify(
          found
            ? { entity_type: data.entity_type, message_type: 'full', data: found, entity_id: found.id }
            : { entity_type: data.entity_type, message_type: 'error', data: { error: 'not found', keys, entity_type: data.entity_type } },
        ),
      );
    }
  }
}
