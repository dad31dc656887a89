import { type WebSocket, WebSocketServer } from 'ws';

/**
 * A stand-in for an app's live channel in browser-side tests: a WebSocket server on loopback that keeps the set
 * of open sockets, so a test can wait for the page's socket, push it change notices, and see it close. A fresh
 * server per test counts only that test's sockets: one a previous test left closing is in the old set.
 */
export class LiveSocketServer {
  /** The sockets open now. */
  readonly sockets = new Set<WebSocket>();
  private server: WebSocketServer | null = null;

  /** What a provider's `live` option takes. */
  get url(): string {
    const address = this.server?.address() as { port: number } | null | undefined;
    if (!address) throw new Error('live socket server not started');
    return `ws://127.0.0.1:${address.port}/live`;
  }

  async start(): Promise<this> {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise((resolve) => server.once('listening', resolve));
    this.server = server;
    return this;
  }

  /** Sends `notice` as JSON on every open socket, as flagwire's live channel sends a change. */
  broadcast(notice: unknown): void {
    for (const socket of this.sockets) socket.send(JSON.stringify(notice));
  }

  /** Stops accepting sockets; the open ones stay open unless the test ends them. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise((resolve) => server.close(resolve));
    this.server = null;
  }
}
