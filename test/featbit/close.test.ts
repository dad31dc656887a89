import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FeatBitTestServer } from '../support/featbit-server';

/** Waits past any reasonable close: a child still running then is held by something close() left behind. */
const HELD_MS = 15_000;

/** Runs the child; with `closeWhen`, the child closes its sync when that settles (the `on-signal` scenario). */
function runChild(env: Record<string, string>, closeWhen?: Promise<unknown>): Promise<{ code: number | null; killed: boolean; lines: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./close-child.ts', import.meta.url))], {
    env: { ...process.env, ...env },
    stdio: closeWhen ? ['ignore', 'pipe', 'inherit', 'ipc'] : ['ignore', 'pipe', 'inherit'],
  });
  void closeWhen?.then(() => child.send('close'));
  let stdout = '';
  let killed = false;
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const guard = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, HELD_MS);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, killed, lines: stdout.trim().split('\n') });
    }),
  );
}

const servers: FeatBitTestServer[] = [];
const tcpServers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of tcpServers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

async function featBitServer(): Promise<FeatBitTestServer> {
  const server = await new FeatBitTestServer().start();
  servers.push(server);
  return server;
}

describe('FeatBitDataSync.close() leaves nothing running', () => {
  it('lets the process exit after closing a live connection', async () => {
    const server = await featBitServer();
    const { code, killed, lines } = await runChild({ SCENARIO: 'connected', STREAMING_URL: server.url, SECRET: server.secret });
    expect(lines).toEqual(['connected true', 'closed']);
    expect({ code, killed }).toEqual({ code: 0, killed: false });
    expect(server.closeCodes).toEqual([1000]);
  });

  it('lets the process exit after closing while a poll is in flight and the socket is refused', async () => {
    const server = await featBitServer();
    server.refusing = true;
    server.replyDelayMs = 60_000;
    const env = { SCENARIO: 'on-signal', STREAMING_URL: server.url, POLLING_URL: server.url, SECRET: server.secret };
    const { code, killed, lines } = await runChild(env, once(server, 'poll'));
    expect(lines.at(-1)).toBe('closed');
    expect(server.counts.polls).toBe(1);
    expect({ code, killed }).toEqual({ code: 0, killed: false });
  });

  it('lets the process exit after closing with a reconnect pending', async () => {
    const server = await featBitServer();
    server.refusing = true;
    const { code, killed, lines } = await runChild({ SCENARIO: 'reconnect-pending', STREAMING_URL: server.url, SECRET: server.secret });
    expect(lines).toEqual([expect.stringMatching(/^warn FeatBit data sync could not connect .*retrying in \d+ ms$/), 'closed']);
    expect({ code, killed }).toEqual({ code: 0, killed: false });
  });

  it('lets the process exit after closing during a handshake the server never answers', async () => {
    // Takes the connection and never says a word.
    const silent = createServer((socket) => {
      sockets.push(socket);
      socket.resume();
    });
    tcpServers.push(silent);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const { code, killed, lines } = await runChild({ SCENARIO: 'connecting', STREAMING_URL: url, SECRET: 'secret-for-nobody' });
    expect(lines).toEqual(['closed']);
    expect({ code, killed }).toEqual({ code: 0, killed: false });
  });
});
