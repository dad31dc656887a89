import { once } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FeatBitDataSync } from '../../src/sources/featbit/data-sync-client';
import { createFlagsClient, type FlagsClient } from '../../src/server/index';
import { featBitFlag } from '../support/featbit-builders';
import { FeatBitTestServer } from '../support/featbit-server';
import { recordingLogger } from '../support/flags-files';
import { startSync } from './sync-harness';

/**
 * What one FeatBit server can do to the process, and what flagwire does about it: a frame or polling answer
 * too big (refused unread, data kept), too many rows (refused whole, data kept), a million bad rows (one log
 * line, not a million), a connection that dies without a word (noticed and replaced), a socket that keeps
 * reconnecting (polls keep their interval), and FeatBit's empty "nothing newer" poll answer (no change).
 */
const T1 = '2025-01-01T00:00:00.000Z';
const T2 = '2025-01-02T00:00:00.000Z';
const flag = (key: string, updatedAt = T1, overrides: Record<string, unknown> = {}) => ({ ...featBitFlag({ key, id: key, updatedAt }), ...overrides });

const servers: FeatBitTestServer[] = [];
const syncs: FeatBitDataSync[] = [];
const clients: FlagsClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  for (const sync of syncs.splice(0)) await sync.close();
  for (const server of servers.splice(0)) await server.stop();
});

async function newServer(): Promise<FeatBitTestServer> {
  const server = await new FeatBitTestServer().start();
  servers.push(server);
  server.setAll({ flags: [flag('a')] });
  return server;
}

function track<T extends { sync: FeatBitDataSync }>(started: T): T {
  syncs.push(started.sync);
  return started;
}

describe('FeatBit data sync limits', () => {
  it('refuses a socket frame over maxFrameBytes unread, says so in one line, keeps the flags held, and reconnects', async () => {
    const server = await newServer();
    const { store, changes, log } = track(startSync(server, { maxFrameBytes: 8 * 1024, reconnectBaseMs: 60_000 }));
    expect(await changes.next()).toEqual(['a']);
    const dropped = once(server, 'close');
    server.push({ flags: [flag('a', T2, { name: 'x'.repeat(16 * 1024) })] });
    await dropped;
    expect(await log.until((l) => l.level === 'error')).toEqual({
      level: 'error',
      message: expect.stringMatching(/^FeatBit sent a data-sync frame over featbit\.maxFrameBytes \(8192 bytes\): refused unread, the 1 flags held are kept; reconnecting in \d+ ms$/),
    });
    expect(store.flag('a')?.name).not.toBe('x'.repeat(16 * 1024));
    expect(store.version).toBe(Date.parse(T1));
  });

  it('refuses a frame with more rows than maxFrameRows whole, keeping the flags held and the connection', async () => {
    const server = await newServer();
    const { store, changes, log, connected } = track(startSync(server, { maxFrameRows: 10 }));
    expect(await changes.next()).toEqual(['a']);
    server.push({ flags: Array.from({ length: 11 }, (_, i) => flag(`n${i}`, T2)) });
    expect(await log.until((l) => l.level === 'error')).toEqual({
      level: 'error',
      message: 'FeatBit sent a patch of 11 flags and segments, over featbit.maxFrameRows (10): refused, the 1 flags held are kept',
    });
    server.push({ flags: [flag('b', T2)] });
    expect(await changes.next()).toEqual(['b']);
    expect(store.flagKeys()).toEqual(['a', 'b']);
    expect(connected.all).toEqual([true]);
  });

  it('logs a patch of 20,000 rows that do not parse in one line', async () => {
    const server = await newServer();
    const { store, changes, log } = track(startSync(server));
    expect(await changes.next()).toEqual(['a']);
    server.sendRaw(JSON.stringify({ messageType: 'data-sync', data: { eventType: 'patch', featureFlags: Array.from({ length: 20_000 }, (_, i) => ({ key: `k${i}` })), segments: [] } }));
    server.push({ flags: [flag('b', T2)] });
    expect(await changes.next()).toEqual(['b']);
    expect(log.all.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([{ level: 'warn', message: expect.stringMatching(/^FeatBit patch: skipped 20000 of 20000 rows that do not parse — .*; and 19997 more$/) }]);
    expect(store.flagKeys()).toEqual(['a', 'b']);
  });

  it('notices a connection that went silent (no pong, no frame) and reconnects', async () => {
    const server = await newServer();
    const { log, connected } = track(startSync(server, { pingIntervalMs: 20, deadAfterMs: 300, reconnectBaseMs: 1 }));
    expect(await connected.next()).toBe(true);
    const again = once(server, 'connection');
    server.silenceAll();
    await again;
    expect(await connected.next()).toBe(false);
    expect(await connected.next()).toBe(true);
    expect(log.all).toContainEqual({ level: 'warn', message: expect.stringMatching(/^FeatBit data sync heard nothing \(no frame, no pong\) for 300 ms: connection cut; reconnecting in \d+ ms$/) });
  });

  it('keeps a connection that answers pings, however long it has no news', async () => {
    const server = await newServer();
    // The bound is generous beside the ping interval, so a busy machine's pauses cannot pass for silence.
    const { connected } = track(startSync(server, { pingIntervalMs: 25, deadAfterMs: 1_500 }));
    expect(await connected.next()).toBe(true);
    // Three silence bounds with no data-sync news, only pings answered.
    const started = performance.now();
    while (performance.now() - started < 4_500) await once(server, 'ping');
    expect(server.counts.connections).toBe(1);
    expect(connected.all).toEqual([true]);
  });
});

describe('FeatBit polling while the socket is down', () => {
  it('polls on its interval, not on every reconnect attempt', async () => {
    const server = await newServer();
    // Every connection is accepted, then closed at once: the socket keeps coming back for a moment.
    server.closeOnConnect = 4000;
    track(startSync(server, { pollingUrl: server.url, pollIntervalMs: 600_000, reconnectBaseMs: 1, reconnectMaxMs: 2 }));
    // The first poll comes once the socket is down; on a busy machine several reconnects may come first.
    while (server.counts.polls < 1) await once(server, 'poll');
    const upgradesAtFirstPoll = server.counts.upgrades;
    while (server.counts.upgrades < upgradesAtFirstPoll + 8) await once(server, 'upgrade');
    expect(server.counts.polls).toBe(1);
  });

  it('takes FeatBit\'s empty 200 as "nothing newer": no warning, and no flip from in sync to out of sync during the outage', async () => {
    const server = await newServer();
    server.emptyWhenUnchanged = true;
    const { connected, log } = track(startSync(server, { pollingUrl: server.url, pollIntervalMs: 10, reconnectBaseMs: 5, reconnectMaxMs: 5 }));
    expect(await connected.next()).toBe(true);
    server.refusing = true;
    server.dropAll();
    expect(await connected.next()).toBe(false);
    expect(await connected.next()).toBe(true);
    // Many polls and many failed reconnect attempts later, still in sync.
    const polls = server.counts.polls;
    const upgrades = server.counts.upgrades;
    await vi.waitFor(() => expect(server.counts.polls >= polls + 10 && server.counts.upgrades >= upgrades + 10).toBe(true), { timeout: 20_000, interval: 20 });
    expect(server.polls.slice(-5).map((p) => p.status)).toEqual([200, 200, 200, 200, 200]);
    expect(connected.all).toEqual([true, false, true]);
    expect(log.all.filter((l) => l.level === 'warn' && /polling/.test(l.message))).toEqual([]);
  });
});

describe('FeatBit limits as client options', () => {
  it('takes maxFrameBytes and maxFrameRows from createFlagsClient({ featbit }), and refuses bad ones', async () => {
    const server = await newServer();
    const log = recordingLogger();
    const client = createFlagsClient({ featbit: { envSecret: server.secret, streamingUri: server.url, sendEvents: false, maxFrameRows: 2, maxFrameBytes: 1_000_000 }, logger: log.logger });
    clients.push(client);
    expect(await client.ready()).toBe('ready');
    server.push({ flags: [flag('b', T2), flag('c', T2), flag('d', T2)] });
    await vi.waitFor(() => expect(log.lines).toContainEqual({ level: 'error', message: expect.stringMatching(/over featbit\.maxFrameRows \(2\): refused/) }));
    expect(await client.variationDetail({ user: { key: 'ada' } }, 'b', 'x')).toMatchObject({ kind: 'not_found' });
    for (const bad of [0, -1, 1.5, '10', Number.POSITIVE_INFINITY]) {
      expect(() => createFlagsClient({ featbit: { envSecret: 's', streamingUri: 'http://x', maxFrameBytes: bad as number } })).toThrow(/featbit\.maxFrameBytes/);
      expect(() => createFlagsClient({ featbit: { envSecret: 's', streamingUri: 'http://x', maxFrameRows: bad as number } })).toThrow(/featbit\.maxFrameRows/);
    }
  });
});
