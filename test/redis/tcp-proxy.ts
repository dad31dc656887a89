import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of Redis that a test can cut: `cutAll()` drops every connection through it, and
 * while `refusing` new ones are closed at once. It loses one process's connections without touching the
 * shared Redis server or anyone else's connections.
 */
export class TcpProxy {
  refusing = false;
  /** While set, bytes either way are dropped: to the client, Redis is there but answers nothing. */
  private stalled = false;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly target: { host: string; port: number }) {}

  get url(): string {
    const address = this.server?.address();
    if (!address || typeof address === 'string') throw new Error('proxy not started');
    return `redis://127.0.0.1:${address.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((client) => {
      if (this.refusing) return client.destroy();
      const upstream = createConnection(this.target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.on('data', (chunk) => void (this.stalled || upstream.write(chunk)));
      upstream.on('data', (chunk) => void (this.stalled || client.write(chunk)));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /**
   * Redis stops answering: commands sent now are lost, as in a partition or a stalled server whose connection
   * is then reset. `resume()` ends it by cutting those connections, so clients reconnect to a Redis that answers.
   */
  stall(): void {
    this.stalled = true;
  }

  resume(): void {
    this.cutAll();
    this.stalled = false;
  }

  cutAll(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async stop(): Promise<void> {
    this.refusing = true;
    this.cutAll();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
