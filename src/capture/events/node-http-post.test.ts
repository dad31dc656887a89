import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isPostTimeout } from './event-post';
import { nodeHttpPost } from './node-http-post';

let server: Server | null = null;
const posters: { close(): void }[] = [];
afterEach(async () => {
  for (const poster of posters.splice(0)) poster.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = null;
});

async function receiver(answer: (body: string, headers: Record<string, unknown>) => { status: number; body?: string; headers?: Record<string, string> } | null): Promise<string> {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const reply = answer(body, request.headers);
      if (reply === null) return; // never answers
      response.writeHead(reply.status, reply.headers).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/public/insight/track`;
}

const live = new AbortController().signal;
const NO_HEADERS = {};

describe('nodeHttpPost', () => {
  it('POSTs a string with its headers and answers a refusal\'s status, headers and text', async () => {
    const seen: { body: string; headers: Record<string, unknown> }[] = [];
    const url = await receiver((body, headers) => {
      seen.push({ body, headers });
      return { status: 429, body: 'slow down', headers: { 'retry-after': '3' } };
    });
    const poster = nodeHttpPost();
    posters.push(poster);
    const answer = await poster.post(url, { headers: { Authorization: 'secret', 'Content-Type': 'application/json' }, body: '[{"a":1}]', signal: live, timeoutMs: 5_000 });
    expect([answer.status, answer.headers.get('retry-after'), answer.text]).toEqual([429, '3', 'slow down']);
    expect(seen[0]).toMatchObject({ body: '[{"a":1}]', headers: { authorization: 'secret', 'content-type': 'application/json', 'content-length': '9' } });
    const again = await poster.post(url, { headers: NO_HEADERS, body: 'x', signal: live, timeoutMs: 5_000 });
    expect(again.status).toBe(429);
  });

  it('answers a 204 with no body, and stops at its signal', async () => {
    let mode: 'empty' | 'hang' = 'empty';
    const url = await receiver(() => (mode === 'empty' ? { status: 204 } : null));
    const poster = nodeHttpPost();
    posters.push(poster);
    expect(await poster.post(url, { headers: NO_HEADERS, body: '[]', signal: live, timeoutMs: 5_000 })).toMatchObject({ status: 204, text: '' });
    mode = 'hang';
    const stop = new AbortController();
    const stopped = poster.post(url, { headers: NO_HEADERS, body: '[]', signal: stop.signal, timeoutMs: 60_000 });
    setTimeout(() => stop.abort(new Error('closing')), 50);
    await expect(stopped).rejects.toThrow(/closing/);
  });

  it('fails with a TimeoutError past its deadline', async () => {
    const url = await receiver(() => null);
    const poster = nodeHttpPost();
    posters.push(poster);
    const error = await poster.post(url, { headers: NO_HEADERS, body: '[]', signal: live, timeoutMs: 100 }).then(() => null, (reason: unknown) => reason);
    expect(isPostTimeout(error)).toBe(true);
  });

  it('POSTs bytes as they are, with their length', async () => {
    const seen: { body: string; headers: Record<string, unknown> }[] = [];
    const url = await receiver((body, headers) => {
      seen.push({ body, headers });
      return { status: 200 };
    });
    const poster = nodeHttpPost();
    posters.push(poster);
    const bytes = new TextEncoder().encode('[{"name":"Zoë"}]');
    expect((await poster.post(url, { headers: NO_HEADERS, body: bytes, signal: live, timeoutMs: 5_000 })).status).toBe(200);
    expect(seen[0]).toMatchObject({ body: '[{"name":"Zoë"}]', headers: { 'content-length': String(bytes.byteLength) } });
  });

  it('refuses a body that is neither a string nor bytes rather than send it empty', async () => {
    const poster = nodeHttpPost();
    posters.push(poster);
    await expect(poster.post('http://127.0.0.1:1/x', { headers: NO_HEADERS, body: new URLSearchParams({ a: '1' }) as unknown as string, signal: live, timeoutMs: 5_000 })).rejects.toThrow(/string and byte bodies only/);
  });

  it('rejects when nothing listens', async () => {
    const poster = nodeHttpPost();
    posters.push(poster);
    await expect(poster.post('http://127.0.0.1:1/x', { headers: NO_HEADERS, body: '', signal: live, timeoutMs: 5_000 })).rejects.toThrow(/ECONNREFUSED/);
  });
});
