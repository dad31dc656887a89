import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { RedisFanout } from '../../src/store/redis-fanout';
import type { ChangeEvent } from '../../src/core/types';
import { recordingLogger } from '../support/flags-files';
import { REDIS_URL } from '../support/redis';
import { FakeRedis } from './fake-redis';
import { connectionIds, killSubscribers, waitFor } from './redis-connections';

describe('change notices: the subscriber reports whether notices can reach it (real Redis)', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function named() {
    const name = `fanout-liveness-${randomUUID().slice(0, 8)}`;
    const client = createClient({ url: REDIS_URL, name });
    client.on('error', () => {});
    await client.connect();
    closers.push(() => client.quit());
    return { client, name };
  }

  it('live once subscribed, not live when its connection is killed, live again once resubscribed (and hearing)', async () => {
    const { client, name } = await named();
    const channel = `${name}:changes`;
    const listening = new RedisFanout(client, channel, recordingLogger().logger);
    closers.push(() => listening.close());
    const live: boolean[] = [];
    const heard: ChangeEvent[] = [];
    await listening.subscribe((event) => heard.push(event), (isLive) => live.push(isLive));
    expect(live).toEqual([true]);

    expect(await killSubscribers(client, name)).toBe(1);
    await waitFor(() => live.includes(false));
    await waitFor(() => live.at(-1) === true);
    expect((await connectionIds(client, name, { subscribers: true })).length).toBe(1);

    const { client: other } = await named();
    const publishing = new RedisFanout(other, channel, recordingLogger().logger);
    publishing.publish({ type: 'company', id: 'comp_acme', keys: { domain: 'acme.test' } });
    await waitFor(() => heard.length === 1);
    expect(heard).toEqual([{ type: 'company', id: 'comp_acme', keys: { domain: 'acme.test' } }]);
  });

  it('a subscriber without connection events is live once subscribed', async () => {
    const fanout = new RedisFanout(new FakeRedis(), 'p:changes', recordingLogger().logger);
    const live: boolean[] = [];
    await fanout.subscribe(() => {}, (isLive) => live.push(isLive));
    expect(live).toEqual([true]);
    await fanout.close();
  });
});
