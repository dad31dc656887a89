import { createClient } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { createFlagsClient } from '../../src/server/index';
import { company, condition, flag, rule } from '../support/builders';
import { DataStreamTestServer } from '../support/datastream-server';
import { recordingLogger } from '../support/flags-files';
import { SchematicTestServer } from '../support/schematic-server';
import { PrivateRedis } from './private-redis';

describe('a Redis restart', () => {
  const cleanups: (() => unknown)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('is survived: checks keep answering within their timeout, and the cache refills after it', async () => {
    // A private redis-server, so killing it cannot disturb other tests.
    const privateRedis = await PrivateRedis.start();
    cleanups.push(() => privateRedis.kill());
    const redis = createClient({ url: privateRedis.url });
    redis.on('error', () => {});
    await redis.connect();
    cleanups.push(() => redis.disconnect().catch(() => undefined));

    const api = await new SchematicTestServer().start();
    const stream = await new DataStreamTestServer().start(api.httpServer);
    cleanups.push(() => api.stop(), () => stream.stop());
    stream.flags = [flag([rule({ id: 'r', name: 'Pro', conditions: [condition({ condition_type: 'plan', resource_ids: ['plan_pro'] })] })], { id: 'f', key: 'pro' })] as never;
    stream.companies = [company({ id: 'comp_acme', keys: { domain: 'acme.test' }, plan_ids: ['plan_pro'] })] as never;
    api.flags = { pro: { value: false, reason: 'from REST' } };

    const client = createFlagsClient({
      apiKey: 'sch_test_key',
      useDataStream: true,
      basePath: api.url,
      eventCaptureBaseURL: api.url,
      timeoutMs: 500,
      flagDefaults: { pro: false },
      logger: recordingLogger().logger,
      dataStream: { redisClient: redis, redisKeyPrefix: 'restart:' },
    });
    cleanups.push(() => client.close());
    const acme = { company: { domain: 'acme.test' } };
    await client.ready();
    expect(await client.checkFlag(acme, 'pro')).toBe(true);

    await privateRedis.kill();
    await new Promise((r) => setTimeout(r, 200));
    const started = performance.now();
    const during = await client.checkFlagWithEntitlement(acme, 'pro');
    expect(performance.now() - started).toBeLessThan(2500);
    expect(during.value).toBe(false); // a default or the REST answer: never a throw, never a hang

    await privateRedis.restart();
    // The new Redis is empty; the company is fetched over DataStream again and cached anew.
    const deadline = Date.now() + 10_000;
    while (!(await client.checkFlag(acme, 'pro'))) {
      if (Date.now() > deadline) throw new Error('never recovered after the Redis restart');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await redis.get('restart:company:4b54a537:domain:acme.test')).toBe('"comp_acme"');
  }, 30_000);
});
