import { createClient } from 'redis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createReplicator, type FlagsClient, type Replicator } from '../../src/server/index';
import { waitFor } from '../redis/redis-connections';
import { TcpProxy } from '../redis/tcp-proxy';
import { company, condition, flag, rule } from '../support/builders';
import { DataStreamTestServer } from '../support/datastream-server';
import { recordingLogger } from '../support/flags-files';
import { REDIS_URL, testRedis } from '../support/redis';
import { SchematicTestServer } from '../support/schematic-server';

/**
 * A change that arrives while Redis is stalled must still reach Redis once it answers again: the replicator
 * and a DataStream client with Redis write again what they could not write, and the replicator's /ready says
 * 503 until they have, then 200 without waiting for the next change.
 */

const isPro = condition({ condition_type: 'plan', resource_ids: ['plan_pro'] });
const proFlag = flag([rule({ id: 'r_pro', name: 'Pro', conditions: [isPro] })], { id: 'f_pro', key: 'pro-feature' });
const acmeFree = company({ id: 'comp_acme', keys: { domain: 'acme.test' }, plan_ids: ['plan_free'] });
const acmePro = { ...acmeFree, plan_ids: ['plan_pro'] };
const acme = { company: { domain: 'acme.test' } };
const STALL_MS = 2500;

describe('a change that arrives while Redis is stalled', () => {
  let api: SchematicTestServer;
  let stream: DataStreamTestServer;
  let redis: Awaited<ReturnType<typeof testRedis>>;
  let proxy: TcpProxy;
  const cleanups: (() => Promise<unknown> | unknown)[] = [];

  beforeEach(async () => {
    api = await new SchematicTestServer().start();
    stream = await new DataStreamTestServer().start(api.httpServer);
    stream.flags = [proFlag] as never;
    stream.companies = [acmeFree] as never;
    redis = await testRedis();
    const target = new URL(REDIS_URL);
    proxy = await new TcpProxy({ host: target.hostname, port: Number(target.port || 6379) }).start();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await proxy.stop();
    await stream.stop();
    await api.stop();
    await redis.cleanup();
  });

  /** A node-redis client whose every command goes through the proxy. */
  async function clientThroughProxy() {
    const client = createClient({ url: proxy.url, socket: { reconnectStrategy: () => 50 } });
    client.on('error', () => undefined);
    await client.connect();
    cleanups.push(() => client.disconnect().catch(() => undefined));
    return client;
  }

  const storedPlans = async (version: string) => {
    const raw = await redis.client.get(`${redis.prefix}company:${version}:comp_acme`);
    return raw === null ? null : (JSON.parse(raw) as { plan_ids: string[] }).plan_ids;
  };

  it('reaches Redis through the replicator, with /ready at 503 until it has and 200 once it has', async () => {
    const replicator: Replicator = await createReplicator({
      apiKey: 'sch_test_key',
      basePath: api.url,
      redisClient: await clientThroughProxy(),
      redisKeyPrefix: redis.prefix,
      healthPort: 0,
      logger: recordingLogger().logger,
      redisCommandTimeoutMs: 300,
    });
    cleanups.push(() => replicator.close());
    await replicator.whenReady();
    const ready = async () => (await fetch(`${replicator.healthUrl}/ready`)).status;
    await waitFor(async () => (await storedPlans(replicator.cacheVersion))?.[0] === 'plan_free');
    await waitFor(async () => (await ready()) === 200);

    proxy.stall();
    stream.broadcast({ entity_type: 'rulesengine.Company', message_type: 'full', entity_id: 'comp_acme', data: acmePro });
    await waitFor(async () => (await ready()) === 503, 10_000);
    await new Promise((resolve) => setTimeout(resolve, STALL_MS));
    expect(await storedPlans(replicator.cacheVersion)).toEqual(['plan_free']);
    proxy.resume();

    await waitFor(async () => (await storedPlans(replicator.cacheVersion))?.[0] === 'plan_pro', 15_000);
    await waitFor(async () => (await ready()) === 200, 15_000);
  });

  it('reaches Redis and the answers of a DataStream client that caches companies there', async () => {
    const logs = recordingLogger();
    const { createFlagsClient } = await import('../../src/server/index');
    const client: FlagsClient = createFlagsClient({
      apiKey: 'sch_test_key',
      basePath: api.url,
      eventCaptureBaseURL: api.url,
      useDataStream: true,
      logger: logs.logger,
      dataStream: { redisClient: await clientThroughProxy(), redisKeyPrefix: redis.prefix, reconnectInitialDelayMs: 20 },
    });
    cleanups.push(() => client.close());
    await client.ready();
    expect(await client.checkFlag(acme, 'pro-feature')).toBe(false); // fetched, and cached in Redis
    const version = (await redis.client.keys(`${redis.prefix}company:*:comp_acme`))[0]?.split(':').at(-2) as string;
    expect(await storedPlans(version)).toEqual(['plan_free']);

    proxy.stall();
    stream.broadcast({ entity_type: 'rulesengine.Company', message_type: 'full', entity_id: 'comp_acme', data: acmePro });
    // The write fails at its command timeout, logged.
    await waitFor(() => logs.lines.some((line) => line.level === 'warn' && /company/i.test(line.message)), 10_000);
    await new Promise((resolve) => setTimeout(resolve, STALL_MS));
    proxy.resume();

    await waitFor(async () => (await storedPlans(version))?.[0] === 'plan_pro', 15_000);
    await waitFor(async () => (await client.checkFlag(acme, 'pro-feature')) === true, 15_000);
  });
});
