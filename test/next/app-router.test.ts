import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFlagsClient, type FlagsClient } from '../../src/server/index';
import { createTestClient } from '../../src/testing/index';
import { SAMPLE_FLAGS, tempFlagsFile } from '../support/flags-files';

/**
 * The App Router helpers outside Next: `next/headers` stands in for the request Next would provide, and
 * `unstable_cache` for Next's data cache (a Map keyed as Next keys it). The real thing runs in the e2e test.
 */
// As Next's server gives every request: Host, and the x-forwarded-* headers it adds.
const REQUEST_HEADERS = { host: 'app.test', 'x-forwarded-host': 'app.test', 'x-forwarded-proto': 'http', 'x-forwarded-port': '80' };
const request = vi.hoisted(() => ({ cookies: new Map<string, string>(), headers: new Headers() }));
const dataCache = vi.hoisted(() => ({ entries: new Map<string, unknown>(), tags: [] as string[][], revalidate: [] as unknown[] }));

vi.mock('next/headers', () => ({
  cookies: async () => ({ get: (name: string) => (request.cookies.has(name) ? { name, value: request.cookies.get(name) } : undefined) }),
  headers: async () => request.headers,
}));
vi.mock('next/cache', () => ({
  unstable_cache: (fn: (...args: string[]) => Promise<unknown>, keyParts: string[], options: { tags: string[]; revalidate: unknown }) => {
    dataCache.tags.push(options.tags);
    dataCache.revalidate.push(options.revalidate);
    return async (...args: string[]) => {
      const key = JSON.stringify([keyParts, args]);
      if (!dataCache.entries.has(key)) dataCache.entries.set(key, await fn(...args));
      return dataCache.entries.get(key);
    };
  },
  revalidateTag: vi.fn(),
}));

const { createNextFlags } = await import('../../src/next/app-router');

describe('createNextFlags (App Router)', () => {
  let client: FlagsClient;
  let cleanup: () => void;
  beforeEach(async () => {
    const files = tempFlagsFile(SAMPLE_FLAGS);
    cleanup = files.cleanup;
    client = createFlagsClient({ flagsFile: files.file });
    await client.ready();
    request.cookies.clear();
    request.headers = new Headers(REQUEST_HEADERS);
    dataCache.entries.clear();
  });
  afterEach(async () => {
    await client.close();
    cleanup();
  });

  const context = (req: { cookie(name: string): string | undefined }) => ({ company: { domain: req.cookie('company') ?? 'globex.test' } });

  it('getFlags evaluates the request’s flags from its cookies', async () => {
    const flags = createNextFlags({ client, context });
    request.cookies.set('company', 'acme.test');
    expect((await flags.getFlags()).isEnabled('advanced-reports')).toBe(true);
    request.cookies.set('company', 'globex.test');
    // Outside a React server render, `cache` does not memoise: each call is a new request here.
    expect((await flags.getFlags()).isEnabled('advanced-reports')).toBe(false);
  });

  it('getFlags over a test client (flagwire/testing) reads the values the test set, and follows set', async () => {
    const testClient = createTestClient({ 'advanced-reports': true, headline: 'bold' });
    try {
      const flags = createNextFlags({ client: testClient, context });
      expect((await flags.getFlags()).variation('headline', 'control')).toBe('bold');
      testClient.set('headline', 'question');
      expect((await flags.getFlags()).variation('headline', 'control')).toBe('question');
      expect((await flags.getFlags()).isEnabled('advanced-reports')).toBe(true);
    } finally {
      await testClient.close();
    }
  });

  it('serves defaults when the app’s context throws, instead of failing the render', async () => {
    const flags = createNextFlags({
      client,
      context: () => {
        throw new Error('session store down');
      },
    });
    request.cookies.set('company', 'acme.test');
    const snapshot = await flags.getFlags();
    // As for a visitor with no company and no user: what the flags say for nobody.
    expect(snapshot.toJSON()).toEqual((await client.snapshot({})).toJSON());
    expect(snapshot.isEnabled('advanced-reports')).toBe(false);
  });

  it('flagsEndpoint.GET answers the browser payload, private and never cached', async () => {
    request.cookies.set('company', 'acme.test');
    const response = await createNextFlags({ client, context }).flagsEndpoint.GET();
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const body = await response.json();
    expect(body.flags['advanced-reports']).toMatchObject({ value: true, entitlement: { allocation: 3, usage: 1 } });
    expect(body.flags).not.toHaveProperty('internal-tools');
  });

  it('refuses a static render (force-static: Next gives no cookies and no headers) instead of evaluating for no one, naming getCachedFlags', async () => {
    const flags = createNextFlags({ client, context });
    // What Next hands a force-static route: empty cookies, empty headers. Evaluating would fix one company's
    // flags (here Globex, the no-cookie default) into the static HTML every visitor gets.
    request.headers = new Headers();
    await expect(flags.getFlags()).rejects.toThrow(/\[flagwire\] getFlags\(\) was called while Next rendered a route statically .*getCachedFlags\(context\)/);
    await expect(flags.getFlags()).rejects.toMatchObject({ name: 'FlagwireError', code: 'invalid_config' });
    await expect(flags.flagsEndpoint.GET()).rejects.toThrow(/getCachedFlags/);
    // getCachedFlags reads no request: it is the way for static pages.
    expect((await flags.getCachedFlags({ company: { domain: 'acme.test' } })).isEnabled('advanced-reports')).toBe(true);
  });

  it('flagsFor reads a fetch Request (proxy.ts, middleware) with the same context', async () => {
    const flags = createNextFlags({ client, context });
    const acme = await flags.flagsFor(new Request('http://app/labs', { headers: { cookie: 'theme=dark; company=acme.test' } }));
    expect(acme.isEnabled('advanced-reports')).toBe(true);
    const nobody = await flags.flagsFor(new Request('http://app/labs'));
    expect(nobody.isEnabled('advanced-reports')).toBe(false);
  });

  it('getCachedFlags caches every flag per context under flagwire’s tag, sending the browser only client flags', async () => {
    const flags = createNextFlags({ client, context });
    expect(dataCache.tags.at(-1)).toEqual(['flagwire']);
    expect(dataCache.revalidate.at(-1)).toBe(60);
    const first = await flags.getCachedFlags({ company: { domain: 'acme.test' } });
    expect(first.isEnabled('internal-tools')).toBe(true);
    expect(Object.keys(first.toJSON().flags).sort()).toEqual(['advanced-reports', 'new-editor']);
    // The same context written in another key order hits the same entry.
    await flags.getCachedFlags({ company: { domain: 'acme.test' }, user: undefined } as never);
    expect(dataCache.entries.size).toBe(1);
    await flags.getCachedFlags({ company: { domain: 'globex.test' } });
    expect(dataCache.entries.size).toBe(2);
  });

  it('getCachedFlags keeps defaults out of the cache while the client cannot answer', async () => {
    await client.close();
    const flags = createNextFlags({ client, context });
    const snapshot = await flags.getCachedFlags({ company: { domain: 'acme.test' } });
    expect(snapshot.isEnabled('advanced-reports')).toBe(false);
    expect(dataCache.entries.size).toBe(0);
  });
});

describe('taggedFetch', () => {
  it('adds flagwire’s cache tag to each request, keeping the caller’s other options', async () => {
    const { taggedFetch } = await import('../../src/next/cache');
    const calls: unknown[][] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (...args: unknown[]) => {
      calls.push(args);
      return new Response('{}');
    }) as typeof fetch;
    try {
      await taggedFetch('https://api.schematichq.com/flags/check', { method: 'POST', next: { revalidate: 5 } } as RequestInit);
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(calls[0]?.[1]).toEqual({ method: 'POST', next: { revalidate: 5, tags: ['flagwire'] } });
  });
});

describe('getCachedFlags and Next’s own errors', () => {
  it('lets an error from Next’s cache through (its control flow), while a client that cannot answer gives defaults', async () => {
    vi.resetModules();
    vi.doMock('next/cache', () => ({
      unstable_cache: () => async () => {
        throw Object.assign(new Error('Dynamic server usage: cookies'), { digest: 'DYNAMIC_SERVER_USAGE' });
      },
      revalidateTag: vi.fn(),
    }));
    const { cachedFlags } = await import('../../src/next/cache');
    const client = createFlagsClient({ flags: { banner: { default: true } } });
    await client.ready();
    await expect(cachedFlags(client)({})).rejects.toThrow('Dynamic server usage');
    await client.close();
    vi.doUnmock('next/cache');
  });
});
