import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../src/core/errors';
import { EventBuffer } from '../../src/capture/events/event-buffer';
import { queuedEvent } from '../../src/capture/events/wire-events';
import { ApiRequester } from '../../src/api/api-requester';
import { retryDelayMs } from '../../src/api/retry-policy';
import { recordingLogger } from '../support/flags-files';

const headers = (entries: Record<string, string>) => new Headers(entries);
const NOW = Date.UTC(2026, 10, 23, 12);

describe('retry policy', () => {
  it('doubles from one second with ±10% jitter, up to a minute', () => {
    expect([0, 1, 2, 3].map((n) => retryDelayMs(n, null, NOW, 0.5))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(0, null, NOW, 0)).toBe(900);
    expect(retryDelayMs(0, null, NOW, 0.999)).toBeCloseTo(1099.8);
    expect(retryDelayMs(10, null, NOW, 0.999)).toBe(60_000);
  });

  it('honours Retry-After in seconds or as a date, capped at a minute', () => {
    expect(retryDelayMs(3, headers({ 'retry-after': '2' }), NOW, 0.5)).toBe(2000);
    expect(retryDelayMs(0, headers({ 'retry-after': new Date(NOW + 5000).toUTCString() }), NOW, 0.5)).toBe(5000);
    expect(retryDelayMs(0, headers({ 'retry-after': '600' }), NOW, 0.5)).toBe(60_000);
  });

  it('else waits for X-RateLimit-Reset (epoch seconds) plus up to 20%', () => {
    const reset = String((NOW + 10_000) / 1000);
    expect(retryDelayMs(0, headers({ 'x-ratelimit-reset': reset }), NOW, 0)).toBe(10_000);
    expect(retryDelayMs(0, headers({ 'x-ratelimit-reset': reset }), NOW, 0.5)).toBe(11_000);
  });
});

describe('API requester', () => {
  afterEach(() => vi.useRealTimers());

  function requester(responses: (Response | Error)[], sleeps: number[]) {
    const fetch = vi.fn(async () => {
      const next = responses.shift();
      if (next instanceof Error) throw next;
      return next ?? new Response('{}');
    });
    const api = new ApiRequester({
      apiKey: 'k',
      baseUrl: 'http://api.test',
      fetch: fetch as unknown as typeof globalThis.fetch,
      timeoutMs: 1000,
      maxRetries: 2,
      now: () => NOW,
      random: () => 0.5,
      sleep: async (ms) => void sleeps.push(ms),
    });
    return { api, fetch };
  }

  it('retries 408, 429 and 5xx with backoff, then answers', async () => {
    const sleeps: number[] = [];
    const { api, fetch } = requester([new Response('', { status: 503 }), new Response('', { status: 429, headers: { 'retry-after': '3' } }), new Response('{"data":{"ok":true}}')], sleeps);
    expect(await api.call({ method: 'POST', path: '/flags/x/check', body: {} })).toEqual({ ok: true });
    expect(fetch).toHaveBeenCalledTimes(3);
    expect(sleeps).toEqual([1000, 3000]);
  });

  it('gives up after maxRetries with an ApiError carrying status and body', async () => {
    const sleeps: number[] = [];
    const { api } = requester([0, 1, 2].map(() => new Response('{"error":"boom"}', { status: 500 })), sleeps);
    await expect(api.call({ method: 'GET', path: '/x' })).rejects.toMatchObject({ failure: 'status', status: 500, body: { error: 'boom' } });
    expect(sleeps).toEqual([1000, 2000]);
  });

  it('does not retry other 4xx, nor network failures', async () => {
    const sleeps: number[] = [];
    const { api, fetch } = requester([new Response('{"error":"nope"}', { status: 404 })], sleeps);
    await expect(api.call({ method: 'GET', path: '/x' })).rejects.toMatchObject({ status: 404 });
    const network = requester([new TypeError('fetch failed')], sleeps);
    await expect(network.api.call({ method: 'GET', path: '/x' })).rejects.toMatchObject({ failure: 'network' });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(network.fetch).toHaveBeenCalledTimes(1);
    expect(sleeps).toEqual([]);
  });

  it('waits between retries on the real timer, honouring the delay (fake timers)', async () => {
    vi.useFakeTimers();
    const fetch = vi.fn(async () => (fetch.mock.calls.length < 2 ? new Response('', { status: 502 }) : new Response('{"data":1}')));
    const api = new ApiRequester({ apiKey: 'k', baseUrl: 'http://api.test', fetch: fetch as never, timeoutMs: 1000, maxRetries: 2, now: () => NOW, random: () => 0.5 });
    const pending = api.call({ method: 'GET', path: '/x' });
    await vi.advanceTimersByTimeAsync(999);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(await pending).toBe(1);
  });
});

describe('event buffer retries (fake timers)', () => {
  afterEach(() => vi.useRealTimers());

  it('keeps a failed batch at the front and tries again after 1 s, 2 s, 4 s… until it is delivered', async () => {
    vi.useFakeTimers();
    const attempts: number[] = [];
    const delivered: string[][] = [];
    const send = vi.fn(async (batch: readonly { idempotencyKey: string }[]) => {
      attempts.push(Date.now());
      if (attempts.length <= 3) throw new ApiError('status', 'unavailable', { status: 503 });
      delivered.push(batch.map((e) => e.idempotencyKey));
    });
    const buffer = new EventBuffer({ destination: 'Schematic', maxQueuedOption: 'maxQueuedEvents', send, intervalMs: 1000, maxBatch: 100, maxQueued: 1000, logger: recordingLogger().logger, random: () => 0.5, retryInitialDelayMs: 1000 });
    const start = Date.now();
    buffer.push(queuedEvent('track', { event: 'a' }, { idempotencyKey: 'a' }, start));
    buffer.push(queuedEvent('track', { event: 'b' }, { idempotencyKey: 'b' }, start));
    await vi.advanceTimersByTimeAsync(1000 + 1000 + 2000 + 4000);
    expect(attempts.map((t) => t - start)).toEqual([1000, 2000, 4000, 8000]);
    expect(delivered).toEqual([['a', 'b']]);
    expect(buffer.stats).toEqual({ queued: 0, delivered: 2, dropped: 0, retries: 3 });
    await buffer.close(0);
  });

  it('drops a batch the service refuses outright (4xx), and says so', async () => {
    vi.useFakeTimers();
    const log = recordingLogger();
    const buffer = new EventBuffer({
      destination: 'Schematic',
      maxQueuedOption: 'maxQueuedEvents',
      send: async () => {
        throw new ApiError('status', 'bad request', { status: 400 });
      },
      intervalMs: 1000,
      maxBatch: 100,
      maxQueued: 1000,
      logger: log.logger,
      random: () => 0.5,
      retryInitialDelayMs: 1000,
    });
    buffer.push(queuedEvent('track', { event: 'a' }, undefined, 0));
    await vi.advanceTimersByTimeAsync(1000);
    expect(buffer.stats.dropped).toBe(1);
    expect(log.lines).toContainEqual({ level: 'error', message: expect.stringContaining('Schematic refused 1 events') });
    await buffer.close(0);
  });

  it('when full, drops the oldest events with a warning and a count, never silently', async () => {
    const log = recordingLogger();
    const buffer = new EventBuffer({ destination: 'Schematic', maxQueuedOption: 'maxQueuedEvents', send: async () => {}, intervalMs: 60_000, maxBatch: 100, maxQueued: 3, logger: log.logger, random: () => 0.5, retryInitialDelayMs: 1000 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) buffer.push(queuedEvent('track', { event: name }, { idempotencyKey: name }, 0));
    expect(buffer.stats).toMatchObject({ queued: 3, dropped: 2 });
    expect(log.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
    expect(log.lines[0]?.message).toContain('event queue is full (3 events)');
    await buffer.close(1000);
    expect(buffer.stats.delivered).toBe(3);
  });
});
