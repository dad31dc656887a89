import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeatBitDataSync } from '../../src/sources/featbit/data-sync-client';
import { featBitFlag } from '../support/featbit-builders';
import { FeatBitTestServer } from '../support/featbit-server';
import { startSync } from './sync-harness';

const T1 = '2025-01-01T00:00:00.000Z';
const T2 = '2025-01-02T00:00:00.000Z';
const T3 = '2025-01-03T00:00:00.000Z';
const ms = (iso: string) => Date.parse(iso);
const flag = (key: string, updatedAt: string, overrides: Record<string, unknown> = {}) => ({ ...featBitFlag({ key, id: key, updatedAt }), ...overrides });
const segment = (id: string, updatedAt: string) => ({ id, name: id, included: ['alice'], excluded: [], rules: [], updatedAt });

const servers: FeatBitTestServer[] = [];
const syncs: FeatBitDataSync[] = [];
afterEach(async () => {
  for (const sync of syncs.splice(0)) await sync.close();
  for (const server of servers.splice(0)) await server.stop();
});

async function newServer(): Promise<FeatBitTestServer> {
  const server = await new FeatBitTestServer().start();
  servers.push(server);
  return server;
}

function track<T extends { sync: FeatBitDataSync }>(started: T): T {
  syncs.push(started.sync);
  return started;
}

describe('FeatBit data sync', () => {
  it('connects with a token for the secret, asks for everything, takes the full, then applies a pushed patch', async () => {
    const server = await newServer();
    server.setAll({ flags: [flag('a', T1)], segments: [segment('beta', T1)] });
    const connection = once(server, 'connection');
    const { store, changes, connected } = track(startSync(server));
    const [token] = (await connection) as [{ secret: string }];
    expect(token.secret).toBe(server.secret.replace(/=+$/, ''));
    expect(await connected.next()).toBe(true);
    expect(await changes.next()).toEqual(['a']);
    expect(server.dataSyncTimestamps).toEqual([0]);
    expect(store.flag('a')?.isEnabled).toBe(true);
    expect(store.segments.has('beta')).toBe(true);

    server.push({ flags: [flag('a', T2, { isEnabled: false })] });
    expect(await changes.next()).toEqual(['a']);
    expect(store.flag('a')?.isEnabled).toBe(false);
    expect(store.version).toBe(ms(T2));
  });

  it('keeps an archived flag as a tombstone: absent for evaluation, and the cursor it set is what it asks from after a drop', async () => {
    const server = await newServer();
    server.setAll({ flags: [flag('a', T1), flag('b', T1)] });
    const { store, changes, connected } = track(startSync(server, { reconnectBaseMs: 1 }));
    await changes.next();
    server.push({ flags: [flag('a', T3, { isArchived: true })] });
    expect(await changes.next()).toEqual(['a']);
    expect(store.flag('a')).toBeUndefined();
    expect(store.flagKeys()).toEqual(['b']);
    expect(store.version).toBe(ms(T3));

    const request = once(server, 'data-sync');
    server.dropAll();
    expect(await connected.until((c) => !c)).toBe(false);
    expect(await request).toEqual([ms(T3)]);
  });

  it('resumes after a drop with a new token, asking from the newest updatedAt and getting only newer rows', async () => {
    const server = await newServer();
    server.setAll({ flags: [flag('a', T1), flag('b', T2)] });
    const { store, changes } = track(startSync(server, { reconnectBaseMs: 1 }));
    const first = (await once(server, 'connection')) as [{ token: string }];
    await changes.next();
    const a = store.flag('a');

    // While the client is away: b changes, c appears.
    server.setAll({ flags: [flag('a', T1), flag('b', T3, { isEnabled: false }), flag('c', T3)] });
    const second = once(server, 'connection');
    server.dropAll();
    expect([...(await changes.next())].sort()).toEqual(['b', 'c']);
    expect(((await second) as [{ token: string }])[0].token).not.toBe(first[0].token);
    expect(server.dataSyncTimestamps).toEqual([0, ms(T2)]);
    const answer = JSON.parse(server.answers.at(-1)!) as { data: { eventType: string; featureFlags: { key: string }[] } };
    expect(answer.data.eventType).toBe('patch');
    expect(answer.data.featureFlags.map((f) => f.key)).toEqual(['b', 'c']);
    expect(store.flag('a')).toBe(a);
    expect(store.flag('b')?.isEnabled).toBe(false);
  });

  it('tells the flags naming a segment when the segment changes', async () => {
    const server = await newServer();
    const rule = { id: 'r', name: 'Beta', dispatchKey: null, includedInExpt: false, conditions: [{ property: 'User is in segment', op: null, value: '["beta"]' }], variations: [{ id: 'on', rollout: [0, 1], exptRollout: 0 }] };
    server.setAll({ flags: [flag('gated', T1, { rules: [rule] }), flag('plain', T1)], segments: [segment('beta', T1)] });
    const { changes } = track(startSync(server));
    await changes.next();
    server.push({ segments: [{ ...segment('beta', T2), included: [] }] });
    expect(await changes.next()).toEqual(['gated']);
  });

  it('reconnects after any other close code, 1000 included', async () => {
    const server = await newServer();
    const { connected } = track(startSync(server, { reconnectBaseMs: 1 }));
    await connected.next();
    for (const code of [1000, 4000, 1011]) {
      const back = once(server, 'connection');
      server.closeAll(code);
      expect(await connected.next()).toBe(false);
      await back;
      expect(await connected.next()).toBe(true);
    }
  });

  it('stops for good on close code 4003, says so and calls onRejected', async () => {
    const rejecting = await newServer();
    rejecting.closeOnConnect = 4003;
    // A control client on a server closing with 4000: by its third attempt, the rejected client would have retried too.
    const control = await newServer();
    control.closeOnConnect = 4000;
    const { rejected, log } = track(startSync(rejecting, { reconnectBaseMs: 1, reconnectMaxMs: 1 }));
    track(startSync(control, { reconnectBaseMs: 1, reconnectMaxMs: 1 }));
    await rejected;
    while (control.counts.upgrades < 3) await once(control, 'upgrade');
    expect(rejecting.counts.upgrades).toBe(1);
    expect(log.all).toContainEqual({ level: 'error', message: expect.stringMatching(/4003.*not reconnecting/) });
  });

  it('pings with {"messageType":"ping","data":{}} every pingIntervalMs', async () => {
    const server = await newServer();
    track(startSync(server, { pingIntervalMs: 2 }));
    for (let i = 0; i < 3; i++) await once(server, 'ping');
    expect(server.received.filter((frame) => (frame as { messageType?: string }).messageType === 'ping')).toContainEqual({ messageType: 'ping', data: {} });
  });

  it('logs and skips frames it cannot use (bad JSON, unknown eventType, unknown messageType), keeping the connection', async () => {
    const server = await newServer();
    server.setAll({ flags: [flag('a', T1)] });
    const { store, changes, connected, log } = track(startSync(server));
    await changes.next();
    server.sendRaw('{"messageType":"data-sync","data":{"eventType":"full","featureFl');
    server.sendRaw(JSON.stringify({ messageType: 'data-sync', data: { eventType: 'replace', featureFlags: [] } }));
    server.sendRaw(JSON.stringify({ messageType: 'notice', data: {} }));
    server.push({ flags: [flag('b', T2)] });
    expect(await changes.next()).toEqual(['b']);
    expect(store.flagKeys()).toEqual(['a', 'b']);
    expect(log.all.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      expect.stringMatching(/cannot use \(not JSON/),
      expect.stringMatching(/cannot use \(eventType "replace"/),
      expect.stringMatching(/cannot use \(messageType "notice"/),
    ]);
    expect(connected.all).toEqual([true]);
  });

  it('survives a listener that throws, logging it', async () => {
    const server = await newServer();
    server.setAll({ flags: [flag('a', T1)] });
    const seen: string[][] = [];
    const { log, store } = track(
      startSync(server, {
        onChange: (keys) => {
          seen.push([...keys]);
          throw new Error('listener bug');
        },
      }),
    );
    await log.until((l) => l.level === 'error');
    server.push({ flags: [flag('b', T2)] });
    await log.until((l) => l.level === 'error');
    expect(seen).toEqual([['a'], ['b']]);
    expect(store.flagKeys()).toEqual(['a', 'b']);
  });
});
