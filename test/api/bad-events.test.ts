import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBuffer } from '../../src/capture/events/event-buffer';
import { type QueuedEvent, queuedEvent } from '../../src/capture/events/wire-events';
import { createFlagsClient, type FlagsClient, InvalidEntityError } from '../../src/server/index';
import { SchematicTestServer } from '../support/schematic-server';

/** A logger that keeps every argument, so a test can see the error a log line carries. */
function fullLogger() {
  const lines: { level: string; message: string; detail: unknown }[] = [];
  const record = (level: string) => (message: string, detail?: unknown) => void lines.push({ level, message, detail });
  return { lines, logger: { error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug') } };
}

/** One event that cannot be put on the wire must never hold back the events after it. */
describe('events that cannot be serialised', () => {
  let server: SchematicTestServer;
  let flags: FlagsClient;
  let log: ReturnType<typeof fullLogger>;

  beforeEach(async () => {
    server = await new SchematicTestServer().start();
    log = fullLogger();
    flags = createFlagsClient({
      apiKey: 'sch_test_key',
      basePath: server.url,
      eventCaptureBaseURL: server.url,
      eventBufferInterval: 20,
      eventRetryInitialDelayMs: 20,
      closeTimeoutMs: 2_000,
      logger: log.logger,
      logLevel: 'debug',
    });
  });
  afterEach(async () => {
    await flags.close();
    await server.stop();
  });

  it('rejects a BigInt trait, a circular trait and an invalid sentAt at track()/identify(), logs each, and delivers the later events', async () => {
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    await flags.track({ event: 'bigint', company: { domain: 'acme.test' }, traits: { big: 10n } });
    await flags.identify({ keys: { email: 'ada@acme.test' }, traits: { loop: circular } });
    await flags.track({ event: 'bad-date', company: { domain: 'acme.test' } }, { sentAt: new Date('x') });
    await flags.track({ event: 'good', company: { domain: 'acme.test' } });
    await flags.identify({ keys: { email: 'grace@acme.test' } });
    await flags.close();

    expect(server.events.map((e) => e.type === 'track' ? e.body.event : e.body.keys)).toEqual(['good', { email: 'grace@acme.test' }]);
    const rejected = log.lines.filter((l) => l.level === 'error');
    expect(rejected.map((l) => l.message)).toEqual(['track was not applied', 'identify was not applied', 'track was not applied']);
    for (const line of rejected) expect(line.detail).toBeInstanceOf(InvalidEntityError);
    expect(String((rejected[0]?.detail as Error).message)).toMatch(/BigInt/);
    expect(String((rejected[1]?.detail as Error).message)).toMatch(/circular/i);
    expect(String((rejected[2]?.detail as Error).message)).toMatch(/sentAt/);
  });
});

describe('EventBuffer formatting', () => {
  it('drops only the events whose formatting fails, logs their count, and sends the rest of the batch', async () => {
    const log = fullLogger();
    const sent: string[][] = [];
    const buffer = new EventBuffer<QueuedEvent, string>({
      destination: 'Schematic',
      maxQueuedOption: 'maxQueuedEvents',
      format: (event) => {
        if (event.idempotencyKey.startsWith('bad')) throw new TypeError('cannot format');
        return event.idempotencyKey;
      },
      send: async (batch) => void sent.push([...batch]),
      intervalMs: 60_000,
      maxBatch: 100,
      maxQueued: 1000,
      logger: log.logger,
      random: () => 0.5,
      retryInitialDelayMs: 10,
    });
    for (const key of ['a', 'bad-1', 'b', 'bad-2', 'c']) buffer.push(queuedEvent('track', { event: key }, { idempotencyKey: key }, 0));
    await buffer.flush();
    buffer.push(queuedEvent('track', { event: 'd' }, { idempotencyKey: 'd' }, 0));
    const stats = await buffer.close(1_000);

    expect(sent).toEqual([['a', 'b', 'c'], ['d']]);
    expect(stats).toMatchObject({ queued: 0, delivered: 4, dropped: 2, retries: 0 });
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'error', message: expect.stringContaining('2 events could not be formatted') }));
  });

  it('counts and logs an event queued after close(), rather than holding it forever unsent', async () => {
    const log = fullLogger();
    const buffer = new EventBuffer({ destination: 'Schematic', maxQueuedOption: 'maxQueuedEvents', send: async () => {}, intervalMs: 60_000, maxBatch: 100, maxQueued: 1000, logger: log.logger, random: () => 0.5, retryInitialDelayMs: 10 });
    await buffer.close(100);
    buffer.push(queuedEvent('track', { event: 'late' }, undefined, 0));
    expect(buffer.stats).toMatchObject({ queued: 0, dropped: 1 });
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'error', message: '1 events were queued after close() and are dropped' }));
  });
});
