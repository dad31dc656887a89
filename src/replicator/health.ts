import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FlagwireConfigError } from '../core/errors';

/**
 * Health in the shape Schematic's replicator serves it, so a flagwire replicator and Schematic's can stand
 * in for each other: `GET /health` always 200, `GET /ready` 200 when ready and 503 otherwise.
 */
export type DataStreamHealth = 'ready' | 'connected' | 'connected_loading' | 'disconnected' | 'not_ready' | 'unknown';

export interface HealthState {
  ready: boolean;
  connected: boolean;
  redis: 'connected' | 'disconnected';
  datastream: DataStreamHealth;
  cacheVersion: string;
}

export function healthBody(state: HealthState, now: Date): Record<string, unknown> {
  return {
    status: 'healthy',
    ready: state.ready,
    connected: state.connected,
    components: { redis: state.redis, datastream: state.datastream },
    cache_version: state.cacheVersion,
    timestamp: now.toISOString(),
  };
}

/**
 * Serves `/health` and `/ready` on `host:port`.
 * @throws FlagwireConfigError when it cannot listen there (the port is taken, or not ours to use).
 */
export async function startHealthServer(
  state: () => HealthState,
  port: number,
  host = '127.0.0.1',
  onError: (error: Error) => void = () => {},
): Promise<{ server: Server; url: string }> {
  // Loaded when a replicator serves health, not whenever flagwire/server is imported (it costs a cold start some 5 ms).
  const { createServer } = process.getBuiltinModule('node:http');
  const server = createServer((req, res) => {
    const current = state();
    const body = JSON.stringify(healthBody(current, new Date()));
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health') return void res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    if (path === '/ready') return void res.writeHead(current.ready ? 200 : 503, { 'content-type': 'application/json' }).end(body);
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  });
  // Without an 'error' listener a busy port is an uncaught exception that ends the process.
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(new FlagwireConfigError('healthPort', listenProblem(error, host, port))));
    server.listen(port, host, () => {
      server.removeAllListeners('error');
      server.on('error', onError);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return { server, url: `http://${host}:${address.port}` };
}

function listenProblem(error: NodeJS.ErrnoException, host: string, port: number): string {
  const where = `${host}:${port}`;
  if (error.code === 'EADDRINUSE') return `the health server cannot listen on ${where}: the port is already in use (pick another healthPort, or 0 for a free one)`;
  if (error.code === 'EACCES') return `the health server cannot listen on ${where}: permission denied`;
  return `the health server cannot listen on ${where}: ${error.message}`;
}
