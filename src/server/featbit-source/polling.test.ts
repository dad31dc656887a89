import { afterEach, describe, expect, it, vi } from 'vitest';
import { FeatBitPoller, type FeatBitPollerOptions } from './polling';
import type { SyncFrame } from './sync-messages';

type Call = { url: string; headers: Headers; signal: AbortSignal | null };

const body = (eventType: string, featureFlags: unknown[] = []) => JSON.stringify({ messageType: 'data-sync', data: { eventType, featureFlags, segments: [] } });

function recordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const record = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, logger: { error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug') } };
}

/** A fetch answering each call with `answer(callNumber)`; calls are recorded. */
function fakeFetch(answer: (n: number, call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const fetch = (async (url: string, init?: RequestInit) => {
    const call = { url: String(url), headers: new Headers(init?.headers), signal: init?.signal ?? null };
    calls.push(call);
    return answer(calls.length, call);
  }) as typeof globalThis.fetch;
  return { calls, fetch };
}

const pollers: FeatBitPoller[] = [];
afterEach(async () => {
  for (const poller of pollers.splice(0)) await poller.stop();
});

function newPoller(fetch: typeof globalThis.fetch, overrides: Partial<FeatBitPollerOptions> = {}) {
  const log = recordingLogger();
  const frames: SyncFrame[] = [];
  const outcomes: boolean[] = [];
  const poller = new FeatBitPoller({
    baseUrl: 'http://featbit.test',
    envSecret: 'env-secret==',
    logger: log.logger,
    intervalMs: 1,
    timestamp: () => 0,
    onFrame: (frame) => frames.push(frame),
    onOutcome: (ok) => outcomes.push(ok),
    fetch,
    ...overrides,
  });
  pollers.push(poller);
  return { poller, log, frames, outcomes };
}

describe('FeatBitPoller', () => {
  it('polls latest-all with the raw secret, then sends the ETag back and treats 304 as no change', async () => {
    const { calls, fetch } = fakeFetch((n) => (n === 1 ? new Response(body('full', [{ key: 'a' }]), { status: 200, headers: { ETag: '"v1"' } }) : new Response(null, { status: 304 })));
    const { poller, frames, outcomes } = newPoller(fetch);
    poller.start();
    await vi.waitFor(() => expect(calls.length).toBeGreaterThanOrEqual(3));
    expect(calls[0]?.url).toBe('http://featbit.test/api/public/sdk/server/latest-all?timestamp=0');
    expect(calls[0]?.headers.get('authorization')).toBe('env-secret==');
    expect(calls[0]?.headers.get('if-none-match')).toBeNull();
    expect(calls[1]?.headers.get('if-none-match')).toBe('"v1"');
    expect(frames).toEqual([{ kind: 'data-sync', eventType: 'full', flags: [{ key: 'a' }], segments: [] }]);
    expect(outcomes.slice(0, 3)).toEqual([true, true, true]);
  });

  it('asks from the current timestamp, and does not send an ETag that was for another timestamp', async () => {
    let timestamp = 0;
    const { calls, fetch } = fakeFetch(() => new Response(body('patch'), { status: 200, headers: { ETag: `"t${timestamp}"` } }));
    const { poller } = newPoller(fetch, { timestamp: () => timestamp, onFrame: () => (timestamp = 1_700_000_000_000) });
    poller.start();
    await vi.waitFor(() => expect(calls.length).toBeGreaterThanOrEqual(3));
    expect(calls[1]?.url).toMatch(/timestamp=1700000000000$/);
    expect(calls[1]?.headers.get('if-none-match')).toBeNull();
    expect(calls[2]?.headers.get('if-none-match')).toBe('"t1700000000000"');
  });

  it('keeps polling after a 5xx, a 429 or a network failure, saying so', async () => {
    const { calls, fetch } = fakeFetch((n) => {
      if (n === 1) return new Response('down', { status: 503 });
      if (n === 2) return new Response('slow down', { status: 429 });
      if (n === 3) throw new TypeError('fetch failed');
      return new Response(body('full'), { status: 200 });
    });
    const { poller, log, frames, outcomes } = newPoller(fetch);
    poller.start();
    await vi.waitFor(() => expect(frames.length).toBeGreaterThanOrEqual(1));
    expect(calls.length).toBeGreaterThanOrEqual(4);
    expect(outcomes.slice(0, 4)).toEqual([false, false, false, true]);
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      expect.stringMatching(/503/),
      expect.stringMatching(/429/),
      expect.stringMatching(/fetch failed/),
    ]);
  });

  it('stops for good on a 401, with an error saying why', async () => {
    const { calls, fetch } = fakeFetch(() => new Response('no', { status: 401 }));
    const { poller, log } = newPoller(fetch);
    poller.start();
    await vi.waitFor(() => expect(log.lines.some((l) => l.level === 'error')).toBe(true));
    expect(log.lines.find((l) => l.level === 'error')?.message).toMatch(/401.*stopped/);
    poller.start();
    await poller.stop();
    expect(calls.length).toBe(1);
    expect(poller.gaveUp).toBe(true);
  });

  it('logs a body it cannot read and applies nothing', async () => {
    const { fetch } = fakeFetch(() => new Response('<html>', { status: 200 }));
    const { poller, log, frames } = newPoller(fetch);
    poller.start();
    await vi.waitFor(() => expect(log.lines.length).toBeGreaterThanOrEqual(1));
    expect(log.lines[0]).toEqual({ level: 'warn', message: expect.stringMatching(/FeatBit polling answer skipped: not JSON/) });
    expect(frames).toEqual([]);
  });

  it('stop() aborts the request in flight and polls no more', async () => {
    let signal: AbortSignal | null = null;
    const { calls, fetch } = fakeFetch((_, call) => {
      signal = call.signal;
      return new Promise<Response>((_resolve, reject) => call.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    });
    const { poller, log } = newPoller(fetch);
    poller.start();
    await vi.waitFor(() => expect(calls.length).toBe(1));
    await poller.stop();
    expect(signal!.aborted).toBe(true);
    expect(poller.running).toBe(false);
    expect(calls.length).toBe(1);
    expect(log.lines).toEqual([]);
  });
});
