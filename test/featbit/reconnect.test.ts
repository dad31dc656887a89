import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeatBitDataSync } from '../../src/sources/featbit/data-sync-client';
import { featBitFlag } from '../support/featbit-builders';
import { FeatBitTestServer } from '../support/featbit-server';
import { announcedDelay, type Inbox, type LogLine, startSync } from './sync-harness';

const T1 = '2025-01-01T00:00:00.000Z';
const T2 = '2025-01-02T00:00:00.000Z';
const ms = (iso: string) => Date.parse(iso);

let server: FeatBitTestServer;
let sync: FeatBitDataSync | null = null;
afterEach(async () => {
  await sync?.close();
  await server.stop();
});

async function nextDelay(log: Inbox<LogLine>): Promise<number> {
  return announcedDelay(await log.until((line) => announcedDelay(line) !== null))!;
}

describe('FeatBit data sync reconnects', () => {
  it('backs off exponentially while attempts fail, and starts over after a connection that stayed up healthyAfterMs', async () => {
    server = await new FeatBitTestServer().start();
    server.refusing = true;
    let clock = 1_000_000;
    // random 0: every wait is exactly half its backoff step, 8 ms doubling.
    const started = startSync(server, { reconnectBaseMs: 8, reconnectMaxMs: 10_000, healthyAfterMs: 60_000, random: () => 0, now: () => clock });
    sync = started.sync;
    const { log, connected } = started;
    expect([await nextDelay(log), await nextDelay(log), await nextDelay(log)]).toEqual([4, 8, 16]);
    server.refusing = false;
    expect(await connected.next()).toBe(true);

    // Up for less than healthyAfterMs: the count goes on.
    server.dropAll();
    expect(await nextDelay(log)).toBe(32);
    expect(await connected.until((c) => c)).toBe(true);

    // Up for healthyAfterMs (the injected clock says so): the count starts over.
    clock += 60_000;
    server.dropAll();
    expect(await nextDelay(log)).toBe(4);
    expect(await connected.until((c) => c)).toBe(true);
  });

  it('never waits longer than reconnectMaxMs', async () => {
    server = await new FeatBitTestServer().start();
    server.refusing = true;
    const started = startSync(server, { reconnectBaseMs: 2, reconnectMaxMs: 8, random: () => 0.999 });
    sync = started.sync;
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) delays.push(await nextDelay(started.log));
    expect(delays).toEqual([2, 4, 8, 8, 8, 8]);
  });
});

describe('FeatBit polling fallback', () => {
  it('polls latest-all (raw secret, ETag, 304) while the socket is refused, and stops once the socket is back', async () => {
    server = await new FeatBitTestServer().start();
    server.refusing = true;
    server.setAll({ flags: [featBitFlag({ key: 'a', updatedAt: T1 })] });
    const started = startSync(server, { pollingUrl: server.url, pollIntervalMs: 1, reconnectBaseMs: 40, reconnectMaxMs: 40 });
    sync = started.sync;
    const { store, changes, connected } = started;
    expect(await changes.next()).toEqual(['a']);
    expect(await connected.next()).toBe(true);
    expect(server.polls[0]).toEqual({ timestamp: 0, authorization: server.secret, ifNoneMatch: undefined, status: 200 });

    // Nothing new: the server answers the ETag it gave with a 304.
    while (!server.polls.some((p) => p.status === 304)) await once(server, 'poll');
    const unchanged = server.polls.find((p) => p.status === 304)!;
    expect(unchanged.timestamp).toBe(ms(T1));
    expect(unchanged.ifNoneMatch).toMatch(/^".+"$/);

    server.setAll({ flags: [featBitFlag({ key: 'a', updatedAt: T2, isEnabled: false })] });
    expect(await changes.next()).toEqual(['a']);
    expect(store.flag('a')?.isEnabled).toBe(false);

    server.refusing = false;
    expect(await once(server, 'data-sync')).toEqual([ms(T2)]);
    const pollsWhenBack = server.polls.length;
    // Round trips over the socket; polling every 1 ms would have polled many times meanwhile.
    for (const [i, at] of ['2025-01-03', '2025-01-04', '2025-01-05'].entries()) {
      server.push({ flags: [featBitFlag({ key: `p${i}`, updatedAt: `${at}T00:00:00.000Z` })] });
      expect(await changes.next()).toEqual([`p${i}`]);
    }
    expect(server.polls.length).toBeLessThanOrEqual(pollsWhenBack + 1);
  });
});
