import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { attachLiveChannel } from '../../src/express/index';
import { type ChangeEvent, createFlagsClient, type FlagsClient, keysOverlap } from '../../src/server/index';
import { recordingLogger, SAMPLE_FLAGS, tempFlagsFile } from '../support/flags-files';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The live channel only subscribes, so tests that need many notices fast drive it through this stand-in. */
function noticeSource(): { client: FlagsClient; emit: (change: ChangeEvent) => void } {
  const subscribers = new Set<(change: ChangeEvent) => void>();
  const client = {
    subscribe: (listener: (change: ChangeEvent) => void) => {
      subscribers.add(listener);
      return () => subscribers.delete(listener);
    },
  } as unknown as FlagsClient;
  return { client, emit: (change) => subscribers.forEach((listener) => listener(change)) };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((r) => server.close(r)), () => server.closeAllConnections());
  return (server.address() as AddressInfo).port;
}

const upgradeRequest = (target: string) =>
  `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n\r\n`;

/** Sends raw bytes and collects the answer until the server closes the socket or `ms` pass. */
function exchange(port: number, request: string, ms = 2000): Promise<{ answer: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('error', () => {});
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ answer, closed: false });
    }, ms);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ answer, closed: true });
    });
    socket.write(request);
  });
}

/** A WebSocket handshake over a raw socket, which the caller can then stop reading. */
function rawWebSocket(port: number, path = '/flagwire/live'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    cleanups.push(() => socket.destroy());
    socket.on('error', reject);
    socket.once('data', (chunk) => (chunk.toString('latin1').startsWith('HTTP/1.1 101') ? resolve(socket) : reject(new Error(chunk.toString()))));
    socket.write(upgradeRequest(path));
  });
}

async function connectWs(port: number, headers: Record<string, string> = {}): Promise<{ socket: WebSocket; messages: string[]; closed: Promise<number> }> {
  const messages: string[] = [];
  const socket = new WebSocket(`ws://127.0.0.1:${port}/flagwire/live`, { headers });
  socket.on('message', (data) => messages.push(data.toString()));
  const closed = new Promise<number>((resolve) => socket.once('close', resolve));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  cleanups.push(() => socket.terminate());
  return { socket, messages, closed };
}

/** The value of `promise`, or `fallback` if it has not settled within `ms`. */
const within = <T>(promise: Promise<T>, ms: number, fallback: T) =>
  Promise.race([promise, new Promise<T>((resolve) => setTimeout(() => resolve(fallback), ms))]);

async function until(condition: () => boolean, ms = 2000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return condition();
}

describe('live channel: a bad upgrade never crashes the process', () => {
  async function startChild(): Promise<{ child: ChildProcess; port: number }> {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../support/live-channel-server.ts', import.meta.url))], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    cleanups.push(() => child.kill());
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout?.once('data', (chunk) => resolve(Number(String(chunk).trim())));
      child.once('exit', (code) => reject(new Error(`server exited (${code}): ${stderr}`)));
    });
    return { child, port };
  }

  it('answers 400 to a malformed request target on an upgrade, closes the socket, and keeps serving', async () => {
    const { child, port } = await startChild();
    const { answer, closed } = await exchange(port, upgradeRequest('http://['));
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(closed).toBe(true);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
    expect(child.exitCode).toBeNull();
  });

  it('serves defaults when context throws synchronously, instead of crashing', async () => {
    const { child, port } = await startChild();
    const { socket } = await connectWs(port, { 'x-throw': '1' });
    expect(socket.readyState).toBe(WebSocket.OPEN);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
    expect(child.exitCode).toBeNull();
  });
});

describe('live channel: upgrades for other paths', () => {
  it('refuses them (404) and closes the socket when no other upgrade listener can claim them', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    const live = attachLiveChannel(server, noticeSource().client);
    cleanups.push(() => live.close());
    const port = await listen(server);
    const { answer, closed } = await exchange(port, upgradeRequest('/elsewhere'));
    expect(answer).toMatch(/^HTTP\/1\.1 404 /);
    expect(closed).toBe(true);
  });

  it('leaves them to another upgrade listener, and closes them if it never answers', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    const live = attachLiveChannel(server, noticeSource().client);
    cleanups.push(() => live.close());
    // Another library on the same server: it answers its own path late, and ignores the rest.
    const seen: string[] = [];
    server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
      seen.push(req.url ?? '');
      if (req.url === '/theirs') setTimeout(() => socket.end('HTTP/1.1 418 I am a teapot\r\nContent-Length: 0\r\n\r\n'), 200);
    });
    const port = await listen(server);
    expect((await exchange(port, upgradeRequest('/theirs'))).answer).toMatch(/^HTTP\/1\.1 418 /);

    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const socket = connect(port, '127.0.0.1');
    cleanups.push(() => socket.destroy());
    socket.on('error', () => {});
    const closed = new Promise<boolean>((resolve) => socket.once('close', () => resolve(true)));
    socket.write(upgradeRequest('/nobody'));
    while (!seen.includes('/nobody')) await new Promise((r) => setImmediate(r));
    vi.advanceTimersByTime(60_000);
    vi.useRealTimers();
    expect(await within(closed, 2000, false)).toBe(true);
  });
});

describe('live channel: what browsers send', () => {
  it('closes a socket that sends a message (the channel is server → browser only)', async () => {
    const server = createServer();
    const live = attachLiveChannel(server, noticeSource().client);
    cleanups.push(() => live.close());
    const port = await listen(server);
    const { socket, closed } = await connectWs(port);
    socket.send('hello');
    expect(await within(closed, 2000, 0)).toBe(1008);
    expect(await until(() => live.connections === 0)).toBe(true);
  });

  it('closes a socket that sends a large frame without buffering it (1009)', async () => {
    const server = createServer();
    const live = attachLiveChannel(server, noticeSource().client);
    cleanups.push(() => live.close());
    const port = await listen(server);
    const { socket, closed } = await connectWs(port);
    socket.send(Buffer.alloc(1024 * 1024));
    expect(await within(closed, 2000, 0)).toBe(1009);
  });
});

describe('live channel: connection cap', () => {
  it('holds with an async context: connections waiting for their context count against the cap', async () => {
    const server = createServer();
    const live = attachLiveChannel(server, noticeSource().client, {
      maxConnections: 5,
      context: async () => {
        await new Promise((r) => setTimeout(r, 50));
        return { company: { domain: 'acme.test' } };
      },
    });
    cleanups.push(() => live.close());
    const port = await listen(server);
    const attempts = await Promise.allSettled(Array.from({ length: 20 }, () => connectWs(port)));
    const opened = attempts.filter((a) => a.status === 'fulfilled').length;
    expect(opened).toBe(5);
    expect(attempts.filter((a) => a.status === 'rejected').every((a) => /503/.test(String(a.reason)))).toBe(true);
    expect(live.connections).toBe(5);
  });
});

describe('live channel: a context that never answers', () => {
  it('refuses the upgrade once contextTimeoutMs passes, freeing its place under the cap', async () => {
    const server = createServer();
    let hang = true;
    const live = attachLiveChannel(server, noticeSource().client, {
      maxConnections: 1,
      contextTimeoutMs: 100,
      context: () => (hang ? new Promise<never>(() => {}) : { company: { domain: 'acme.test' } }),
    });
    cleanups.push(() => live.close());
    const port = await listen(server);
    await expect(connectWs(port)).rejects.toThrow(/503/);
    hang = false;
    const fresh = await connectWs(port);
    expect(fresh.socket.readyState).toBe(WebSocket.OPEN);
    expect(live.connections).toBe(1);
  });
});

describe('live channel: slow readers', () => {
  it('drops a browser that stops reading instead of buffering its notices without bound', async () => {
    const { client, emit } = noticeSource();
    const server = createServer();
    // Every notice sent (no coalescing), so that a stalled reader's backlog can grow at all.
    const live = attachLiveChannel(server, client, { coalesceMs: 0 });
    cleanups.push(() => live.close());
    const port = await listen(server);
    const stalled = await rawWebSocket(port);
    stalled.pause();
    expect(await until(() => live.connections === 1)).toBe(true);
    // Kernel buffers on loopback take several MB before the server has to hold anything itself.
    for (let sent = 0; sent < 3_000_000 && live.connections > 0; sent += 10_000) {
      for (let i = 0; i < 10_000; i++) emit({ type: 'flags', keys: ['new-editor'] });
      await new Promise((r) => setImmediate(r));
    }
    expect(await until(() => live.connections === 0)).toBe(true);
    const fresh = await connectWs(port);
    emit({ type: 'flags', keys: ['new-editor'] });
    expect(await until(() => fresh.messages.length === 1)).toBe(true);
  });
});

describe('live channel: bursts of changes', () => {
  it('sends each page the first notice of a burst at once and one more for the rest, not one per change', async () => {
    const { client, emit } = noticeSource();
    const server = createServer();
    const live = attachLiveChannel(server, client, { coalesceMs: 50 });
    cleanups.push(() => live.close());
    const port = await listen(server);
    const pages = await Promise.all([connectWs(port), connectWs(port), connectWs(port)]);
    expect(await until(() => live.connections === 3)).toBe(true);
    for (let i = 0; i < 200; i++) emit({ type: 'company', id: 'acme', keys: { domain: 'acme.test' } });
    expect(await until(() => pages.every((page) => page.messages.length === 2))).toBe(true);
    // A later change is the third notice each page hears: nothing else of the burst came in between.
    emit({ type: 'flags', keys: ['new-editor'] });
    expect(await until(() => pages.every((page) => page.messages.length === 3))).toBe(true);
    for (const page of pages) expect(page.messages).toEqual(['{"type":"company"}', '{"type":"company"}', '{"type":"flags"}']);
  });

  it('says "flags" for a window holding changes of different kinds', async () => {
    const { client, emit } = noticeSource();
    const server = createServer();
    const live = attachLiveChannel(server, client, { coalesceMs: 50 });
    cleanups.push(() => live.close());
    const page = await connectWs(await listen(server));
    expect(await until(() => live.connections === 1)).toBe(true);
    emit({ type: 'user', id: 'ada', keys: { email: 'ada@acme.test' } });
    emit({ type: 'user', id: 'ada', keys: { email: 'ada@acme.test' } });
    emit({ type: 'company', id: 'acme', keys: { domain: 'acme.test' } });
    expect(await until(() => page.messages.length === 2)).toBe(true);
    expect(page.messages).toEqual(['{"type":"user"}', '{"type":"flags"}']);
  });
});

describe('live channel: one bad listener', () => {
  it('keeps notifying the others when a context holds non-string keys or throws', async () => {
    const files = tempFlagsFile(SAMPLE_FLAGS);
    const client = createFlagsClient({ flagsFile: files.file, logger: recordingLogger().logger });
    cleanups.push(files.cleanup, () => client.close());
    await client.ready();
    const server = createServer();
    const contexts: Record<string, () => unknown> = {
      numeric: () => ({ company: { id: 42 } }),
      nested: () => ({ company: { id: { deep: 'acme.test' } } }),
      text: () => ({ company: 'acme.test' }),
      throwing: () => ({
        get company(): never {
          throw new Error('session store down');
        },
      }),
      good: () => ({ company: { domain: 'acme.test' } }),
    };
    const live = attachLiveChannel(server, client, { context: (req) => contexts[String(req.headers['x-kind'])]!() as never });
    cleanups.push(() => live.close());
    const port = await listen(server);
    for (const kind of ['numeric', 'nested', 'text', 'throwing']) await connectWs(port, { 'x-kind': kind });
    const good = await connectWs(port, { 'x-kind': 'good' });
    await client.track({ event: 'exports', company: { domain: 'acme.test' } });
    expect(await until(() => good.messages.length > 0)).toBe(true);
    expect(good.messages).toEqual(['{"type":"company"}']);
  });
});

describe('keysOverlap', () => {
  it('compares string values only, case-insensitively, and tolerates anything else', () => {
    expect(keysOverlap({ Domain: 'ACME.test' }, { domain: 'acme.TEST' })).toBe(true);
    expect(keysOverlap({ id: 42, domain: 'acme.test' } as never, { domain: 'acme.test' })).toBe(true);
    expect(keysOverlap({ id: 42 } as never, { id: '42' })).toBe(false);
    expect(keysOverlap({ id: '42' }, { id: 42 } as never)).toBe(false);
    expect(keysOverlap({ id: { deep: 'x' } } as never, { id: 'x' })).toBe(false);
    expect(keysOverlap('acme.test' as never, { domain: 'acme.test' })).toBe(false);
    expect(keysOverlap({ domain: 'acme.test' }, 7 as never)).toBe(false);
    expect(keysOverlap(null, { domain: 'acme.test' })).toBe(false);
  });
});
