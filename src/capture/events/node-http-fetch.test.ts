import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeHttpFetch } from './node-http-fetch';

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

describe('nodeHttpFetch', () => {
  it('POSTs a string with its headers and answers status, headers and text as fetch does', async () => {
    const seen: { body: string; headers: Record<string, unknown> }[] = [];
    const url = await receiver((body, headers) => {
      seen.push({ body, headers });
      return { status: 429, body: 'slow down', headers: { 'retry-after': '3' } };
    });
    const poster = nodeHttpFetch();
    posters.push(poster);
    const response = await poster.fetch(url, { method: 'POST', headers: { Authorization: 'secret', 'Content-Type': 'application/json' }, body: '[{"a":1}]' });
    expect([response.status, response.ok, response.headers.get('retry-after'), await response.text()]).toEqual([429, false, '3', 'slow down']);
    expect(seen[0]).toMatchObject({ body: '[{"a":1}]', headers: { authorization: 'secret', 'content-type': 'application/json', 'content-length': '9' } });
    const again = await poster.fetch(url, { method: 'POST', body: 'x' });
    expect(again.status).toBe(429);
  });

  it('answers a 204 with no body, and stops at its signal', async () => {
    let mode: 'empty' | 'hang' = 'empty';
    const url = await receiver(() => (mode === 'empty' ? { status: 204 } : null));
    const poster = nodeHttpFetch();
    posters.push(poster);
    expect((await poster.fetch(url, { method: 'POST', body: '[]' })).status).toBe(204);
    mode = 'hang';
    await expect(poster.fetch(url, { method: 'POST', body: '[]', signal: AbortSignal.timeout(100) })).rejects.toThrow(/abort/i);
  });

  it('POSTs bytes as they are, with their length', async () => {
    const seen: { body: string; headers: Record<string, unknown> }[] = [];
    const url = await receiver((body, headers) => {
      seen.push({ body, headers });
      return { status: 200 };
    });
    const poster = nodeHttpFetch();
    posters.push(poster);
    const bytes = new TextEncoder().encode('[{"name":"Zoë"}]');
    expect((await poster.fetch(url, { method: 'POST', body: bytes })).status).toBe(200);
    expect(seen[0]).toMatchObject({ body: '[{"name":"Zoë"}]', headers: { 'content-length': String(bytes.byteLength) } });
  });

  it('refuses a body that is neither a string nor bytes rather than send it empty', async () => {
    const poster = nodeHttpFetch();
    posters.push(poster);
    await expect(poster.fetch('http://127.0.0.1:1/x', { method: 'POST', body: new URLSearchParams({ a: '1' }) })).rejects.toThrow(/string and byte bodies only/);
  });

  it('rejects when nothing listens', async () => {
    const poster = nodeHttpFetch();
    posters.push(poster);
    await expect(poster.fetch('http://127.0.0.1:1/x', { method: 'POST', body: '' })).rejects.toThrow(/ECONNREFUSED/);
  });
});
