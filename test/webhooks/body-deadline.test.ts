import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flagsWebhook } from '../../src/express/index';
import { createPagesWebhookHandler } from '../../src/next/pages';
import { createFetchWebhookHandler } from '../../src/server/index';
import { delivery, SECRET } from '../support/webhooks';

const servers: Server[] = [];
const timers: ReturnType<typeof setInterval>[] = [];
afterEach(async () => {
  for (const timer of timers.splice(0)) clearInterval(timer);
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/**
 * Sends a webhook's headers and the start of its body over a raw socket, then either nothing more or one byte
 * every 50 ms. Resolves with what the server answered and whether it closed the connection, or `null` after 3 s.
 */
function slowClient(port: number, mode: 'stall' | 'trickle'): Promise<{ answer: string; closed: boolean } | null> {
  const d = delivery('company.updated', { id: 'comp_1' });
  const head = [
    'POST /hook HTTP/1.1',
    'Host: 127.0.0.1',
    'Content-Type: application/json',
    `Content-Length: ${d.raw.length}`,
    ...Object.entries(d.headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const done = (result: { answer: string; closed: boolean } | null) => {
      clearTimeout(limit);
      socket.destroy();
      resolve(result);
    };
    const limit = setTimeout(() => done(answer ? { answer, closed: false } : null), 3000);
    socket.on('data', (chunk) => void (answer += chunk.toString()));
    socket.on('end', () => done({ answer, closed: true }));
    socket.on('error', () => {});
    socket.write(`${head.join('\r\n')}\r\n\r\n${d.raw.slice(0, 5)}`);
    if (mode === 'trickle') {
      let sent = 5;
      timers.push(setInterval(() => !socket.destroyed && sent < d.raw.length - 1 && socket.write(d.raw[sent++]!), 50));
    }
  });
}

describe('webhook body deadline', () => {
  it('Express: a client that never finishes its body is answered 408 and its connection closed', async () => {
    const onEvent = vi.fn();
    const app = express().post('/hook', flagsWebhook({ secret: SECRET, bodyTimeoutMs: 200, on: { '*': onEvent } }));
    const port = await listen(createServer(app));
    const result = await slowClient(port, 'stall');
    expect(result?.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(result?.answer).toContain('"code":"body_timeout"');
    expect(result?.closed).toBe(true);
    expect(onEvent).not.toHaveBeenCalled();
  });

  it('Express: a body trickled a byte at a time does not hold the endpoint past the deadline', async () => {
    const app = express().post('/hook', flagsWebhook({ secret: SECRET, bodyTimeoutMs: 300 }));
    const port = await listen(createServer(app));
    const result = await slowClient(port, 'trickle');
    expect(result?.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(result?.closed).toBe(true);
  });

  it('Express: an oversize body is answered 400 too_large', async () => {
    const app = express().post('/hook', flagsWebhook({ secret: SECRET, maxBodyBytes: 1000 }));
    const port = await listen(createServer(app));
    const response = await fetch(`http://127.0.0.1:${port}/hook`, { method: 'POST', body: 'x'.repeat(200_000), headers: delivery('test.send', {}).headers });
    expect([response.status, (await response.json()).code]).toEqual([400, 'too_large']);
  });

  it('Pages Router: the same deadline applies', async () => {
    const handler = createPagesWebhookHandler({ secret: SECRET, bodyTimeoutMs: 200 });
    const port = await listen(
      createServer((req, res) => {
        const nextRes = {
          status: (code: number) => ({ json: (body: unknown) => res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body)) }),
          setHeader: (name: string, value: string) => res.setHeader(name, value),
        };
        void handler(req as never, nextRes);
      }),
    );
    const result = await slowClient(port, 'stall');
    expect(result?.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(result?.closed).toBe(true);
  });

  it('Fetch: a body stream that stops sending is answered 408 and cancelled', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"action"'));
      },
      cancel() {
        cancelled = true;
      },
    });
    const handler = createFetchWebhookHandler({ secret: SECRET, bodyTimeoutMs: 100 });
    const request = new Request('http://x/', { method: 'POST', body, headers: delivery('test.send', {}).headers, duplex: 'half' } as RequestInit);
    const response = await Promise.race([handler(request), new Promise<null>((r) => setTimeout(() => r(null), 3000))]);
    expect(response?.status).toBe(408);
    expect(cancelled).toBe(true);
  });
});
