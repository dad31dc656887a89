import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatBitInsights } from '../../src/capture/featbit/insights';
import { FeatBitEventsServer } from '../support/featbit-events-server';

/**
 * 20,000 insight events, queued in bursts while the event endpoint fails in every way it can short of
 * refusing: a run of 503s, then 429s, 503s and dropped connections sprinkled through the rest. Every event
 * reaches an accepted batch exactly once (FeatBit has no idempotency keys, so a resent batch would count
 * twice), no POST carries more than 50 items, and nothing is logged as lost.
 */
const EVENTS = 20_000;
const SECRET = 'fb-env-secret';

interface Item {
  user: { keyId: string };
  variations?: { featureFlagKey: string }[];
  metrics?: { eventName: string }[];
}

describe('FeatBit insight delivery under a storm', () => {
  let server: FeatBitEventsServer;
  beforeAll(async () => {
    server = await new FeatBitEventsServer(SECRET).start();
  });
  afterAll(() => server.stop());

  it(`delivers all ${EVENTS} events exactly once through 503s, 429s and dropped connections`, async () => {
    server.inject({ kind: 'status', status: 503 }, { times: 8 }); // the storm: eight in a row
    server.inject({ kind: 'drop' }, { every: 7, times: 40 });
    server.inject({ kind: 'status', status: 429, retryAfter: '0' }, { every: 5, times: 30 });
    server.inject({ kind: 'status', status: 503 }, { every: 11, times: 30 });
    const lines: { level: string; message: string }[] = [];
    const record = (level: string) => (message: string) => void lines.push({ level, message });
    const sdk = new FeatBitInsights({
      envSecret: SECRET,
      eventsUrl: server.url,
      logger: { error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug') },
      flushIntervalMs: 10,
      retryInitialDelayMs: 5,
    });

    // The ids ride in the user key (both kinds) and in the flag key or event name, so each item is traceable.
    for (let seq = 0; seq < EVENTS; seq++) {
      const user = { keyId: `storm-${seq}`, name: 'storm', customizedProperties: [{ name: 'seq', value: String(seq) }] };
      if (seq % 3 === 0) sdk.metric(user, `metric-${seq}`, seq, seq);
      else sdk.evaluation(user, `flag-${seq}`, { id: 'v', value: 'true' }, seq % 2 === 0, seq);
      // Bursts of a thousand, with the event loop free in between: the sender works while events pour in.
      if (seq % 1_000 === 999) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await sdk.close(60_000);

    const copies = new Map<string, number>();
    for (const item of server.acceptedItems as unknown as Item[]) {
      const id = item.user.keyId;
      const seq = Number(id.slice('storm-'.length));
      // The item is the event queued for that id, not another event's body under its user.
      expect(item.variations?.[0]?.featureFlagKey ?? item.metrics?.[0]?.eventName).toBe(seq % 3 === 0 ? `metric-${seq}` : `flag-${seq}`);
      copies.set(id, (copies.get(id) ?? 0) + 1);
    }
    const missing = Array.from({ length: EVENTS }, (_, seq) => `storm-${seq}`).filter((id) => !copies.has(id));
    expect(missing).toEqual([]);
    expect([...copies.values()].filter((n) => n !== 1)).toEqual([]);

    expect(Math.max(...server.batches.map((b) => (b.body as unknown[]).length))).toBeLessThanOrEqual(50);
    // The storm really happened: each kind of failure was met and got through.
    const outcomes = new Set(server.batches.map((b) => b.outcome));
    for (const failure of [503, 429, 'dropped'] as const) expect(outcomes).toContain(failure);
    expect(sdk.stats).toMatchObject({ delivered: EVENTS, dropped: 0, queued: 0 });
    expect(sdk.stats.retries).toBe(server.batches.length - server.accepted.length);
    expect(lines.filter((l) => l.level === 'error' || l.level === 'warn')).toEqual([]);
  }, 120_000);
});
