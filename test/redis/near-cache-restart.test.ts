import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { createFlagsClient, createReplicator } from '../../src/server/index';
import { DEFAULT_NEAR_CACHE_TTL_MS } from '../../src/store/near-cache';
import { company, condition, flag, rule } from '../support/builders';
import { DataStreamTestServer } from '../support/datastream-server';
import { recordingLogger } from '../support/flags-files';
import { SchematicTestServer } from '../support/schematic-server';
import { ReaderProcess } from '../replicator/near-cache-process';
import { PrivateRedis } from './private-redis';
import { connectionIds, waitFor } from './redis-connections';

const proFlag = flag([rule({ id: 'r1', name: 'Pro', conditions: [condition({ condition_type: 'plan', resource_ids: ['plan_pro'] })] })], { id: 'f1', key: 'pro-feature' });
const acmeOn = (plan: string) => company({ id: 'comp_acme', keys: { domain: 'acme.test' }, plan_ids: [plan] });
const acme = { company: { domain: 'acme.test' } };
const PREFIX = 'near-restart:';

/**
 * Counts the drops of the pub/sub connection a flags client duplicates from `client`. Its listener is added
 * before the client's own, and Node calls a connection's listeners in order and at once: by the time a
 * waiter sees the count move, the client has stopped trusting its near cache too.
 */
function watchSubscriber(client: ReturnType<typeof createClient>): { readonly losses: number } {
  const seen = { losses: 0 };
  const duplicate = client.duplicate.bind(client);
  client.duplicate = ((...args: Parameters<typeof duplicate>) => {
    const subscriber = duplicate(...args);
    subscriber.on('reconnecting', () => seen.losses++);
    subscriber.on('end', () => seen.losses++);
    return subscriber;
  }) as typeof client.duplicate;
  return seen;
}

describe('near caches of two processes across a Redis restart (private redis-server)', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });

  it('is survived: during the outage checks answer (a default, never a hang); after it no answer is stale past the TTL', async () => {
    const redis = await PrivateRedis.start();
    cleanups.push(() => redis.kill());
    const api = await new SchematicTestServer().start();
    const stream = await new DataStreamTestServer().start(api.httpServer);
    cleanups.push(() => api.stop(), () => stream.stop());
    stream.flags = [proFlag] as never;
    stream.companies = [acmeOn('plan_pro')] as never;

    const connect = async (name: string) => {
      const client = createClient({ url: redis.url, name });
      client.on('error', () => {});
      await client.connect();
      cleanups.push(() => client.disconnect());
      return client;
    };
    const admin = await connect('near-restart-admin');
    const replicator = await createReplicator({ apiKey: 'sch_test_key', basePath: api.url, redisClient: await connect('near-restart-replicator'), redisKeyPrefix: PREFIX, healthPort: 0, logLevel: 'silent', reconnectInitialDelayMs: 50 });
    cleanups.push(() => replicator.close());
    const acmeKey = `${PREFIX}company:${replicator.cacheVersion}:comp_acme`;
    await waitFor(async () => (await admin.get(acmeKey)) !== null);

    const hereRedis = await connect('near-restart-here');
    const hereSubscriber = watchSubscriber(hereRedis);
    const here = createFlagsClient({
      apiKey: 'sch_test_key',
      basePath: api.url,
      eventCaptureBaseURL: api.url,
      timeoutMs: 3000,
      logger: recordingLogger().logger,
      dataStream: { replicatorMode: true, redisClient: hereRedis, redisKeyPrefix: PREFIX, replicatorHealthURL: `${replicator.healthUrl}/ready`, replicatorHealthCheck: 200 },
    });
    cleanups.push(() => here.close());
    const other = new ReaderProcess({ redisUrl: redis.url, prefix: PREFIX, apiUrl: api.url, healthUrl: `${replicator.healthUrl}/ready` });
    cleanups.push(() => other.stop());
    await Promise.all([here.ready(), other.ready()]);
    const bothSubscribed = () => waitFor(async () => (await connectionIds(admin, other.name, { subscribers: true })).length === 1 && (await connectionIds(admin, 'near-restart-here', { subscribers: true })).length === 1);
    await bothSubscribed();
    const answers = async () => [await here.checkFlag(acme, 'pro-feature'), ...(await other.check([[acme, 'pro-feature']]))];
    expect(await answers()).toEqual([true, true]);
    expect(await answers()).toEqual([true, true]);

    const down = other.mark();
    const hereDown = hereSubscriber.losses;
    await redis.kill();
    // Both processes must have seen their subscriber drop (each then stops trusting its near cache): on a
    // busy machine either may notice well after the other.
    await Promise.all([other.until((m) => m.type === 'subscriber' && m.live === false, down), waitFor(() => hereSubscriber.losses > hereDown, 10_000)]);
    // Redis is gone, and so are the notices: neither process answers from what it near-cached before.
    expect(await answers()).toEqual([false, false]);

    // Schematic changed the company meanwhile; Redis comes back empty and the replicator fills it again.
    stream.companies = [acmeOn('plan_free')] as never;
    await redis.restart();
    stream.dropAll();
    await waitFor(async () => JSON.parse((await admin.get(acmeKey).catch(() => null)) ?? 'null')?.plan_ids?.[0] === 'plan_free', 15_000);
    await bothSubscribed();
    await new Promise((r) => setTimeout(r, DEFAULT_NEAR_CACHE_TTL_MS));
    expect(await answers()).toEqual([false, false]);

    // And change notices flow again.
    const heard = new Promise((resolve) => here.subscribe((event) => event.type === 'company' && resolve(event)));
    stream.pushCompanyPartial('comp_acme', { plan_ids: ['plan_pro'] });
    await heard;
    expect(await here.checkFlag(acme, 'pro-feature')).toBe(true);
  }, 60_000);
});
