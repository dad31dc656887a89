import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FlagsClient } from '../../src/server/index';
import { overridesClient } from '../flags-sdk/fixtures';

// The module, not the entry: the entry's `server-only` marker refuses any import outside a React server build.
const { liveRoute } = await import('../../src/next/live-route');

/** Next's live endpoint outside Next: server-sent events read from the Response a route handler returns. */
const context = ({ cookie }: { cookie(name: string): string | undefined }) => ({ company: { domain: cookie('company') ?? 'acme.test' } });

/** Reads a stream's events as text, one `read()` at a time. */
function reader(response: Response) {
  const stream = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  // A read outlives a call that stopped waiting for it: the next call takes its chunk.
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;
  return async function next(ms = 2000): Promise<string | null> {
    const deadline = Date.now() + ms;
    while (!buffered.includes('\n\n')) {
      const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), Math.max(0, deadline - Date.now())));
      pending ??= stream.read();
      const chunk = await Promise.race([pending, timeout]);
      if (chunk === null) return null;
      pending = null;
      if (chunk.done) return null;
      buffered += decoder.decode(chunk.value);
    }
    const end = buffered.indexOf('\n\n');
    const event = buffered.slice(0, end);
    buffered = buffered.slice(end + 2);
    return event;
  };
}

describe('liveEndpoint (server-sent events)', () => {
  let client: FlagsClient;
  const aborts: AbortController[] = [];
  beforeEach(async () => {
    client = await overridesClient();
  });
  afterEach(async () => {
    for (const abort of aborts.splice(0)) abort.abort();
    await client.close();
  });

  function open(route: ReturnType<typeof liveRoute>, company: string) {
    const abort = new AbortController();
    aborts.push(abort);
    return { abort, response: route.GET(new Request('http://app.test/api/flagwire/live', { headers: { cookie: `company=${company}` }, signal: abort.signal })) };
  }

  it('tells each page that its flags changed: a company change only its own pages, a flags change every page', async () => {
    const route = liveRoute(client, context, { coalesceMs: 0 });
    const acme = await open(route, 'acme.test').response;
    const initech = await open(route, 'initech.test').response;
    expect(acme.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(acme.headers.get('cache-control')).toBe('no-store, no-transform');
    const fromAcme = reader(acme);
    const fromInitech = reader(initech);
    expect([await fromAcme(), await fromInitech()]).toEqual([': connected', ': connected']);

    await client.invalidate({ type: 'company', id: 'acme', keys: { domain: 'acme.test' } });
    expect(await fromAcme()).toBe('data: {"type":"company"}');
    expect(await fromInitech(300)).toBeNull();

    await client.invalidate({ type: 'flags', keys: ['headline'] });
    expect(await fromAcme()).toBe('data: {"type":"flags"}');
    expect(await fromInitech()).toBe('data: {"type":"flags"}');
  });

  it('folds a burst of changes into two notices per page', async () => {
    const route = liveRoute(client, context, { coalesceMs: 200 });
    const next = reader(await open(route, 'acme.test').response);
    expect(await next()).toBe(': connected');
    for (let i = 0; i < 20; i++) await client.invalidate({ type: 'company', id: 'acme', keys: { domain: 'acme.test' } });
    expect(await next()).toBe('data: {"type":"company"}');
    expect(await next()).toBe('data: {"type":"flags"}');
    expect(await next(400)).toBeNull();
  });

  it('stops listening when the page goes, and refuses pages past maxConnections until one does', async () => {
    const route = liveRoute(client, context, { maxConnections: 1 });
    const first = open(route, 'acme.test');
    expect((await first.response).status).toBe(200);
    expect((await open(route, 'acme.test').response).status).toBe(503);
    first.abort.abort();
    expect((await open(route, 'acme.test').response).status).toBe(200);
  });

  it("listens for flag changes only when the page's context does not settle in time", async () => {
    const route = liveRoute(client, () => new Promise(() => {}), { contextTimeoutMs: 100, maxConnections: 1 });
    const next = reader(await open(route, 'acme.test').response);
    expect(await next()).toBe(': connected');
    await client.invalidate({ type: 'company', id: 'acme', keys: { domain: 'acme.test' } });
    expect(await next(300)).toBeNull();
    await client.invalidate({ type: 'flags', keys: ['headline'] });
    expect(await next()).toBe('data: {"type":"flags"}');
  });
});
