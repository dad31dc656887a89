import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFlagsClient } from '../../src/server/index';
import { recordingLogger } from '../support/flags-files';
import { SchematicTestServer, type WireEvent } from '../support/schematic-server';

/**
 * 100,000 track calls while the capture service fails in every way it can: a 500 storm, 429s, connections
 * dropped before and after the batch was processed. Every event arrives; the only duplicates are batches
 * whose answer was lost, and they carry the same idempotency keys, so Schematic counts them once.
 */
const EVENTS = 100_000;

describe('event delivery soak', () => {
  let server: SchematicTestServer;
  beforeAll(async () => {
    server = await new SchematicTestServer().start();
  });
  afterAll(() => server.stop());

  it(`delivers all ${EVENTS} events through storms, with duplicates only where an answer was lost`, async () => {
    const batch = /^\/batch$/;
    server.inject({ kind: 'status', status: 500 }, { path: batch, times: 6 }); // a storm: six in a row
    server.inject({ kind: 'status', status: 503 }, { path: batch, every: 5, times: 60 });
    server.inject({ kind: 'status', status: 429, retryAfter: '0' }, { path: batch, every: 7, times: 40 });
    server.inject({ kind: 'drop' }, { path: batch, every: 11, times: 30 });
    server.inject({ kind: 'drop-after-processing' }, { path: batch, every: 13, times: 20 });
    const log = recordingLogger();
    const flags = createFlagsClient({
      apiKey: 'sch_test_key',
      basePath: server.url,
      eventCaptureBaseURL: server.url,
      eventBufferInterval: 20,
      eventRetryInitialDelayMs: 5,
      maxQueuedEvents: 150_000,
      closeTimeoutMs: 60_000,
      logger: log.logger,
    });

    for (let seq = 0; seq < EVENTS; seq++) {
      // Half carry the caller's idempotency key; the rest get one from flagwire.
      void flags.track({ event: 'soak', company: { domain: 'acme.test' }, traits: { seq } }, seq % 2 ? { idempotencyKey: `caller-${seq}` } : undefined);
    }

    // Wait out the storm, then close: close() delivers whatever is left.
    while (server.pendingFaults > 0) await new Promise((r) => setTimeout(r, 25));
    await flags.close();

    const bySeq = new Map<number, WireEvent[]>();
    for (const event of server.events) {
      const seq = (event.body.traits as { seq: number }).seq;
      bySeq.set(seq, [...(bySeq.get(seq) ?? []), event]);
    }
    const missing = Array.from({ length: EVENTS }, (_, i) => i).filter((seq) => !bySeq.has(seq));
    expect(missing).toEqual([]);

    const duplicated = [...bySeq.values()].filter((copies) => copies.length > 1);
    // The dropped-after-processing answers made duplicates, and only with the same key and body.
    expect(duplicated.length).toBeGreaterThan(0);
    for (const copies of duplicated) {
      expect(new Set(copies.map((c) => c.idempotency_key)).size).toBe(1);
      expect(new Set(copies.map((c) => JSON.stringify(c.body))).size).toBe(1);
    }
    expect(duplicated.length).toBeLessThanOrEqual(20 * 100);
    for (let seq = 1; seq < EVENTS; seq += 2) expect(bySeq.get(seq)?.[0]?.idempotency_key).toBe(`caller-${seq}`);
    expect(new Set(server.events.map((e) => e.idempotency_key)).size).toBe(EVENTS);
    expect(log.lines.filter((l) => l.level === 'error' || l.level === 'warn')).toEqual([]);
  }, 120_000);
});
