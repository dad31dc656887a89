import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createFlagsClient } from '../../src/server/index';
import { recordingLogger } from '../support/flags-files';

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function runChild(env: Record<string, string>): Promise<{ code: number | null; stdout: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./close-child.ts', import.meta.url))], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, ms: Date.now() - started })));
}

/** close() keeps its deadline: the process lives until it has reported what could not be delivered. */
describe('close() deadline', () => {
  const servers: Server[] = [];
  const openSockets: Socket[] = [];
  afterEach(async () => {
    for (const socket of openSockets.splice(0)) socket.destroy();
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  });

  it('keeps a process whose only work is `await client.close()` alive until the deadline, and logs the lost events', async () => {
    const port = await closedPort();
    const { code, stdout } = await runChild({ API_URL: `http://127.0.0.1:${port}`, CLOSE_TIMEOUT_MS: '300' });
    const lines = stdout.trim().split('\n');
    expect(lines).toContain('error 1 events could not be delivered to Schematic before close; they are lost');
    expect(lines.at(-1)).toBe('closed');
    expect(code).toBe(0);
  });

  it('returns, and says so, when a mode never finishes closing: by closeTimeoutMs + 2 s, keeping the process alive until then', async () => {
    const { code, stdout, ms } = await runChild({ HANG: '1', CLOSE_TIMEOUT_MS: '100' });
    const lines = stdout.trim().split('\n');
    expect(lines).toContain('error close() stopped waiting after 2100 ms: the offline mode had not finished stopping; events it still held may be lost');
    expect(lines.at(-1)).toBe('closed');
    expect(code).toBe(0);
    expect(ms).toBeGreaterThanOrEqual(2_100);
  });

  it('gives up on a send that never gets an answer at the deadline, and closes its connection', async () => {
    const sockets: Socket[] = [];
    const closedSockets: Socket[] = [];
    // Accepts connections, reads requests, never answers.
    const silent = createServer((socket) => {
      sockets.push(socket);
      openSockets.push(socket);
      socket.on('close', () => closedSockets.push(socket));
      socket.resume();
    });
    servers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const log = recordingLogger();
    const client = createFlagsClient({ apiKey: 'sch_test_key', basePath: url, eventCaptureBaseURL: url, closeTimeoutMs: 300, logger: log.logger });
    await client.track({ event: 'exports', company: { domain: 'acme.test' } });
    const started = Date.now();
    await client.close();
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(log.lines).toContainEqual({ level: 'error', message: '1 events could not be delivered to Schematic before close; they are lost' });
    // The connection that carried the batch is cut, rather than held open until the send's own 10 s timeout.
    await expect.poll(() => sockets[0] !== undefined && closedSockets.includes(sockets[0]), { timeout: 2_000 }).toBe(true);
  });
});
