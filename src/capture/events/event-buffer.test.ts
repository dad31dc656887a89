import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../core/errors';
import { EventBuffer, type EventBufferOptions } from './event-buffer';

function recordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const record = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, logger: { error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug') } };
}

const unavailable = () => new ApiError('status', 'unavailable', { status: 503 });

/** A buffer of strings (sized by their length) whose events endpoint is down: every send fails, retryably. */
function refusedBuffer(overrides: Partial<EventBufferOptions<string>> = {}) {
  const log = recordingLogger();
  const buffer = new EventBuffer<string>({
    destination: 'Schematic',
    maxQueuedOption: 'maxQueuedEvents',
    send: async () => {
      throw unavailable();
    },
    intervalMs: 1000,
    maxBatch: 10,
    maxQueued: 1000,
    logger: log.logger,
    random: () => 0.5,
    retryInitialDelayMs: 1000,
    ...overrides,
  });
  return { buffer, log };
}

const warnings = (log: ReturnType<typeof recordingLogger>) => log.lines.filter((l) => l.level === 'warn').map((l) => l.message);

describe('EventBuffer bounds', () => {
  afterEach(() => vi.useRealTimers());

  it('holds at most maxQueuedBytes of events (and its senders’ batches), dropping the oldest, while the endpoint is down', async () => {
    vi.useFakeTimers();
    const { buffer, log } = refusedBuffer({ maxQueued: 100_000, maxQueuedBytes: 10_000, maxInFlight: 2 });
    const event = (i: number) => String(i).padStart(100, '-');
    for (let i = 0; i < 50_000; i++) {
      buffer.push(event(i));
      if (i % 1000 === 999) await vi.advanceTimersByTimeAsync(500);
    }
    // 100 waiting (10,000 bytes of 100-byte events), plus the two batches of 10 the senders keep trying.
    expect(buffer.stats.queued).toBe(120);
    expect(buffer.queuedBytes).toBe(12_000);
    expect(buffer.stats.dropped).toBe(50_000 - 120);
    expect(warnings(log)[0]).toMatch(/^event queue is full \(10000 bytes\): dropped the 1 oldest; raise maxQueuedEventBytes/);
    await buffer.close(0);
  });

  it('drops an event larger than the whole byte budget itself, and says why', async () => {
    const { buffer, log } = refusedBuffer({ maxQueuedBytes: 100 });
    buffer.push('small');
    buffer.push('x'.repeat(101));
    expect(buffer.stats).toMatchObject({ queued: 1, dropped: 1 });
    expect(warnings(log)).toEqual(['an event of 101 bytes is larger than the whole event queue (maxQueuedEventBytes: 100); it is dropped']);
    await buffer.close(0);
  });
});

describe('EventBuffer drop log', () => {
  afterEach(() => vi.useRealTimers());

  it('logs the first drop at once, then one count per 10 s while drops go on (from a timer), and the total at close()', async () => {
    vi.useFakeTimers();
    const { buffer, log } = refusedBuffer({ maxQueued: 5, intervalMs: 3_600_000 });
    for (let i = 0; i < 5; i++) buffer.push(`e${i}`);
    buffer.push('first-drop');
    expect(warnings(log)).toEqual([expect.stringMatching(/^event queue is full \(5 events\): dropped the 1 oldest; raise maxQueuedEvents or check the connection to Schematic/)]);

    // 40 more drops in the next 10 s: no line until the 10 s are up, then one line with their count.
    for (let i = 0; i < 40; i++) buffer.push(`more-${i}`);
    await vi.advanceTimersByTimeAsync(9_999);
    expect(warnings(log)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(warnings(log)[1]).toBe('event queue for Schematic still full: dropped 40 more of the oldest events in the last 10 s (41 since start)');

    // A quiet spell logs nothing; the next drop after it is logged at once again.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(warnings(log)).toHaveLength(2);
    buffer.push('after-quiet');
    expect(warnings(log)).toHaveLength(3);
    expect(warnings(log)[2]).toMatch(/^event queue is full \(5 events\)/);
    buffer.push('unlogged-yet');

    // close() with the endpoint still down: what it could not deliver, and the total since the start.
    const closing = buffer.close(0);
    await vi.runAllTimersAsync();
    const stats = await closing;
    expect(stats).toMatchObject({ queued: 0, dropped: 48 });
    expect(log.lines.at(-1)).toEqual({
      level: 'error',
      message: '5 events could not be delivered to Schematic before close; they are lost (48 lost since start: 43 dropped from a full queue, 5 undelivered at close)',
    });
  });

  it('logs the total lost at close() even when close() delivered everything it held', async () => {
    const log = recordingLogger();
    const buffer = new EventBuffer<string>({
      destination: 'FeatBit',
      maxQueuedOption: 'maxQueuedEvents',
      send: async () => {},
      intervalMs: 3_600_000,
      maxBatch: 10,
      maxQueued: 2,
      logger: log.logger,
      random: () => 0.5,
      retryInitialDelayMs: 10,
    });
    for (const event of ['a', 'b', 'c', 'd']) buffer.push(event);
    await buffer.close(1_000);
    expect(buffer.stats).toMatchObject({ delivered: 2, dropped: 2 });
    expect(log.lines.at(-1)).toEqual({ level: 'warn', message: 'events for FeatBit: 2 lost since start: 2 dropped from a full queue' });
  });
});

describe('EventBuffer concurrency', () => {
  afterEach(() => vi.useRealTimers());

  it('keeps up to maxInFlight batches on their way at once, each delivered once', async () => {
    const pending: { batch: readonly string[]; done: () => void }[] = [];
    let mostAtOnce = 0;
    const delivered: string[] = [];
    const buffer = new EventBuffer<string>({
      destination: 'FeatBit',
      maxQueuedOption: 'maxQueuedEvents',
      send: (batch) =>
        new Promise<void>((resolve) => {
          pending.push({ batch, done: resolve });
          mostAtOnce = Math.max(mostAtOnce, pending.length);
        }).then(() => void delivered.push(...batch)),
      intervalMs: 3_600_000,
      maxBatch: 10,
      maxQueued: 1000,
      maxInFlight: 4,
      logger: recordingLogger().logger,
      random: () => 0.5,
      retryInitialDelayMs: 10,
    });
    const events = Array.from({ length: 95 }, (_, i) => `e${i}`);
    for (const event of events) buffer.push(event);
    const flushed = buffer.flush();
    // Answer the POSTs one at a time, oldest first, whenever any is waiting.
    while (delivered.length < events.length) {
      await vi.waitFor(() => expect(pending.length).toBeGreaterThan(0));
      pending.shift()?.done();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await flushed;
    expect(mostAtOnce).toBe(4);
    expect([...delivered].sort()).toEqual([...events].sort());
    expect(buffer.stats).toMatchObject({ queued: 0, delivered: 95, dropped: 0 });
    await buffer.close(100);
  });

  it('pauses every sender once when batches in flight together fail together, then tries each again once', async () => {
    vi.useFakeTimers();
    const attempts: { at: number; batch: string }[] = [];
    const start = Date.now();
    const buffer = new EventBuffer<string>({
      destination: 'Schematic',
      maxQueuedOption: 'maxQueuedEvents',
      send: async (batch) => {
        attempts.push({ at: Date.now() - start, batch: batch.join() });
        if (attempts.length <= 4) throw unavailable();
      },
      intervalMs: 1000,
      maxBatch: 1,
      maxQueued: 100,
      maxInFlight: 4,
      logger: recordingLogger().logger,
      random: () => 0.5,
      retryInitialDelayMs: 1000,
    });
    // Each event fills a batch, so each goes out at once, on its own sender.
    for (const event of ['a', 'b', 'c', 'd']) buffer.push(event);
    await vi.advanceTimersByTimeAsync(1000);
    // Four failures at once lengthen the pause once (1 s), not four times (8 s).
    expect(attempts.map((a) => a.at)).toEqual([0, 0, 0, 0, 1000, 1000, 1000, 1000]);
    expect(attempts.slice(4).map((a) => a.batch).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(buffer.stats).toEqual({ queued: 0, delivered: 4, dropped: 0, retries: 4 });
    await buffer.close(0);
  });

  it('close() keeps its deadline with every sender stuck, and counts what they held as lost', async () => {
    const log = recordingLogger();
    const buffer = new EventBuffer<string>({
      destination: 'FeatBit',
      maxQueuedOption: 'maxQueuedEvents',
      send: (_batch, signal) => new Promise<void>((_resolve, reject) => signal.addEventListener('abort', () => reject(new ApiError('aborted', 'abandoned')))),
      intervalMs: 3_600_000,
      maxBatch: 10,
      maxQueued: 1000,
      maxInFlight: 4,
      logger: log.logger,
      random: () => 0.5,
      retryInitialDelayMs: 10,
    });
    for (let i = 0; i < 55; i++) buffer.push(`e${i}`);
    void buffer.flush();
    const stats = await buffer.close(200);
    expect(stats).toMatchObject({ queued: 0, delivered: 0, dropped: 55 });
    expect(log.lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual(['55 events could not be delivered to FeatBit before close; they are lost']);
  });
});
