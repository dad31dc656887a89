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
    onFrame: (frame) => {
      frames.push(frame);
      return true;
    },
    onOutcome: (ok) => outcomes.push(ok),
    fetch,
    maxAnswerBytes: 1024 * 1024,
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
    const { poller } = newPoller(fetch, { timestamp: () => timestamp, onFrame: () => Boolean((timestamp = 1_700_000_000_000)) });
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

  it('takes FeatBit\'s empty 200 ("nothing newer") as no change: no frame, no warning, in sync', async () => {
    const { calls, fetch } = fakeFetch(() => new Response('', { status: 200 }));
    const { poller, frames, outcomes, log } = newPoller(fetch);
    poller.start();
    await vi.waitFor(() => expect(calls.length).toBeGreaterThanOrEqual(3));
    expect(frames).toEqual([]);
    expect(outcomes.slice(0, 3)).toEqual([true, true, true]);
    expect(log.lines).toEqual([]);
  });

  it('refuses an answer over maxAnswerBytes without reading it whole: a long body is cut off, and a long Content-Length is not read', async () => {
    // 8 MiB in 64 KiB chunks, with no Content-Length: reading stops a little past the 1 MiB cap.
    let pulled = 0;
    const long = () =>
      new ReadableStream<Uint8Array>({
        pull(controller) {
          if (++pulled > 128) return controller.close();
          controller.enqueue(new Uint8Array(64 * 1024));
        },
      });
    const { calls, fetch } = fakeFetch((n) => (n === 1 ? new Response(long(), { status: 200 }) : new Response(body('full', [{ key: 'a' }]), { status: 200, headers: { 'Content-Length': String(10 * 1024 * 1024) } })));
    const { poller, frames, outcomes, log } = newPoller(fetch, { maxAnswerBytes: 1024 * 1024 });
    poller.start();
    await vi.waitFor(() => expect(outcomes.length).toBeGreaterThanOrEqual(2));
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(pulled).toBeLessThan(40);
    expect(frames).toEqual([]);
    expect(outcomes.slice(0, 2)).toEqual([false, false]);
    expect(log.lines.slice(0, 2)).toEqual([
      { level: 'error', message: expect.stringMatching(/^FeatBit polling answer is over featbit\.maxFrameBytes \(1048576 bytes\): refused unread, the flags held are kept; trying again in 1 ms$/) },
      { level: 'error', message: expect.stringMatching(/over featbit\.maxFrameBytes/) },
    ]);
  });

  it('waits out the rest of its interval when started again soon after a poll', async () => {
    let clock = 0;
    const { calls, fetch } = fakeFetch(() => new Response(null, { status: 304 }));
    const { poller } = newPoller(fetch, { intervalMs: 60_000, now: () => clock });
    poller.start();
    await vi.waitFor(() => expect(calls.length).toBe(1));
    await poller.stop();
    clock += 1_000;
    poller.start();
    await poller.stop();
    expect(calls.length).toBe(1);
    clock += 60_000;
    poller.start();
    await vi.waitFor(() => expect(calls.length).toBe(2));
  });
});
