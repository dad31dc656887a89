import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RedisFanout } from '../../src/store/redis-fanout';
import type { FlagsClient, FlagsClientOptions } from '../../src/server/index';
import { ENGINE_VERSION_KEY } from '../../src/store/redis-keys';
import { RedisStore } from '../../src/store/redis-store';
import { company, condition, flag, rule } from '../support/builders';
import type { DataStreamTestServer } from '../support/datastream-server';
import { recordingLogger } from '../support/flags-files';
import { type SchematicServers, startSchematicServers } from '../support/schematic-clients';
import type { SchematicTestServer } from '../support/schematic-server';
import { FakeRedis, settledWithin } from './fake-redis';

describe('Redis that stops answering: the store gives up on each command', () => {
  it('rejects reads and writes after the command timeout instead of waiting forever', async () => {
    const redis = new FakeRedis();
    redis.state = 'hung';
    const store = new RedisStore({ client: redis, keyPrefix: 'p:', version: () => ENGINE_VERSION_KEY, entityTtlMs: 0, commandTimeoutMs: 50 });
    const calls: Promise<unknown>[] = [
      store.getCompany({ domain: 'acme.test' }),
      store.getUserById('u1'),
      store.getFlag('pro'),
      store.allFlags(),
      store.deleteFlagsExcept([]),
      store.putFlag(flag([], { key: 'pro' })),
      store.putCompany(company({ id: 'c1', keys: { domain: 'acme.test' } })),
      store.deleteUser('u1'),
    ];
    expect(await Promise.all(calls.map((call) => settledWithin(call, 2000)))).toEqual(calls.map(() => 'rejected'));
    await expect(store.getFlag('pro')).rejects.toThrow(/Redis GET got no answer within 50 ms/);
  });

  it('answers normally while Redis answers', async () => {
    const redis = new FakeRedis();
    const store = new RedisStore({ client: redis, keyPrefix: 'p:', version: () => ENGINE_VERSION_KEY, entityTtlMs: 0, commandTimeoutMs: 50 });
    await store.putCompany(company({ id: 'c1', keys: { domain: 'acme.test' } }));
    expect((await store.getCompany({ domain: 'acme.test' }))?.wire.id).toBe('c1');
  });

  it('closes the pub/sub subscriber within its bound, forcing the connection shut when QUIT is never answered', async () => {
    const redis = new FakeRedis();
    const fanout = new RedisFanout(redis, 'p:changes', recordingLogger().logger, { quitTimeoutMs: 50 });
    await fanout.subscribe(() => {});
    redis.state = 'hung';
    expect(await settledWithin(fanout.close(), 2000)).toBe('resolved');
    expect(redis.subscribers[0]).toEqual({ quitCalled: true, disconnected: true });
  });
});

describe('a flags client whose Redis stops answering', () => {
  let servers: SchematicServers;
  let api: SchematicTestServer;
  let stream: DataStreamTestServer;

  beforeEach(async () => {
    servers = await startSchematicServers();
    ({ api, stream } = servers);
    stream.flags = [flag([rule({ id: 'r', name: 'Pro', conditions: [condition({ condition_type: 'plan', resource_ids: ['plan_pro'] })] })], { id: 'f', key: 'pro' })] as never;
    stream.companies = [company({ id: 'comp_acme', keys: { domain: 'acme.test' }, plan_ids: ['plan_free'] })] as never;
    api.flags = { pro: { value: true, reason: 'from REST' } };
  });
  // A client left open by a failed test is abandoned, not awaited: its close is what is under test.
  afterEach(() => servers.stop({ abandonClients: true }));

  function start(redis: FakeRedis, extra: FlagsClientOptions['dataStream'] = {}, options: FlagsClientOptions = {}): FlagsClient {
    return servers.dataStreamClient({ ...options, dataStream: { redisClient: redis, reconnectInitialDelayMs: 20, ...extra } });
  }

  async function subscribed(redis: FakeRedis): Promise<void> {
    const deadline = Date.now() + 2000;
    while (redis.subscribers.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 20));
  }

  it('DataStream mode: close() resolves within a bound', async () => {
    const redis = new FakeRedis();
    const client = start(redis);
    await subscribed(redis);
    redis.state = 'hung';
    expect(await settledWithin(client.close(), 5000)).toBe('resolved');
  });

  it('replicator mode: close() resolves within a bound', async () => {
    const redis = new FakeRedis();
    const client = start(redis, { replicatorMode: true, replicatorHealthURL: `${api.url}/replicator/ready`, replicatorHealthCheck: 50 });
    await subscribed(redis);
    redis.state = 'hung';
    expect(await settledWithin(client.close(), 5000)).toBe('resolved');
  });

  it('DataStream mode: a check whose Redis read hangs falls back to the API within its timeout', async () => {
    const redis = new FakeRedis();
    const client = start(redis, {}, { timeoutMs: 4000, flagDefaults: { pro: false } });
    await subscribed(redis);
    redis.state = 'hung';
    const result = await client.checkFlagWithEntitlement({ company: { domain: 'acme.test' } }, 'pro');
    // The Redis read gave up after its own 1 s, so the REST answer came back, not the default at the 4 s deadline.
    expect(result).toMatchObject({ value: true, reason: 'from REST' });
  });

  it('DataStream mode: track() never waits on a Redis that stopped answering (its local count is queued)', async () => {
    const redis = new FakeRedis();
    const logs = recordingLogger();
    const client = start(redis, {}, { logger: logs.logger });
    await client.ready();
    await subscribed(redis);
    redis.state = 'hung';
    // Redis gives up on a command after 1 s; track() must be back long before that.
    expect(await settledWithin(client.track({ event: 'exports', company: { domain: 'acme.test' } }), 900)).toBe('resolved');
  });

  it('DataStream mode: a Redis whose writes fail neither stops the flags in memory nor the client becoming ready; it is stale until Redis has them', async () => {
    const redis = new FakeRedis();
    redis.state = 'failing';
    const logs = recordingLogger();
    const client = start(redis, {}, { logger: logs.logger, startWaitMs: 3000 });
    // Ready to answer, but stale: other processes reading Redis do not have this flag set yet.
    expect(await client.ready()).toBe('stale');
    // Companies are cached in that same Redis, so the check falls back to the API, in time.
    expect(await client.checkFlagWithEntitlement({ company: { domain: 'acme.test' } }, 'pro')).toMatchObject({ value: true, reason: 'from REST' });
    expect(logs.lines.some((line) => line.level === 'warn' && /the flag set could not be written to Redis/.test(line.message))).toBe(true);
    const readyAgain = new Promise((resolve) => client.on('status', (status) => status === 'ready' && resolve(status)));
    redis.state = 'up';
    expect(await readyAgain).toBe('ready');
    expect(await redis.get(`schematic:flags:${ENGINE_VERSION_KEY}:pro`)).not.toBeNull();
  });
});
