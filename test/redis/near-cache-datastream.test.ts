import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterEach, describe, expect, it } from 'vitest';
import { changesChannel, RedisFanout } from '../../src/store/redis-fanout';
import type { ChangeEvent } from '../../src/server/index';
import { company, condition, flag, metric, rule } from '../support/builders';
import { recordingLogger } from '../support/flags-files';
import { REDIS_URL, testRedis } from '../support/redis';
import { type SchematicServers, startSchematicServers } from '../support/schematic-clients';
import { ReaderProcess } from '../replicator/near-cache-process';
import { connectionIds, waitFor } from './redis-connections';

const underLimit = condition({ condition_type: 'metric', operator: 'lt', event_subtype: 'exports', metric_value: 5 });
const exportsFlag = flag([rule({ id: 'r', name: 'Under the limit', conditions: [underLimit] })], { id: 'f', key: 'can-export' });
const acme = { company: { domain: 'acme.test' } };

describe('near cache in DataStream mode: two processes sharing Redis (real Redis)', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('a change one process writes to Redis (a usage count its socket never hears of) is in the other’s answers once the notice is out', async () => {
    const servers: SchematicServers = await startSchematicServers();
    const redis = await testRedis();
    cleanups.push(() => redis.cleanup(), () => servers.stop());
    servers.stream.flags = [exportsFlag] as never;
    servers.stream.companies = [company({ id: 'comp_acme', keys: { domain: 'acme.test' }, metrics: [metric('exports', 4)] })] as never;

    const name = `near-ds-${randomUUID().slice(0, 8)}`;
    const named = createClient({ url: REDIS_URL, name });
    named.on('error', () => {});
    await named.connect();
    cleanups.push(() => named.quit());
    const here = servers.dataStreamClient({ dataStream: { redisClient: named, redisKeyPrefix: redis.prefix } });
    await here.ready();
    expect(await here.checkFlag(acme, 'can-export')).toBe(true); // fetched over DataStream, written to Redis

    const other = new ReaderProcess({ redisUrl: REDIS_URL, prefix: redis.prefix, apiUrl: servers.api.url, mode: 'datastream' });
    cleanups.push(() => other.stop());
    await other.ready();
    await waitFor(async () => (await connectionIds(redis.client, other.name, { subscribers: true })).length === 1);
    await waitFor(async () => (await connectionIds(redis.client, name, { subscribers: true })).length === 1);
    expect(await other.check([[acme, 'can-export']])).toEqual([true]); // read from Redis: now near-cached
    expect(await other.check([[acme, 'can-export']])).toEqual([true]);

    const listener = new RedisFanout(redis.client, changesChannel(redis.prefix), recordingLogger().logger);
    cleanups.push(() => listener.close());
    const notices: ChangeEvent[] = [];
    await listener.subscribe((event) => notices.push(event));
    await here.track({ event: 'exports', company: acme.company });
    await waitFor(() => notices.some((n) => n.type === 'company' && n.id === 'comp_acme'));
    expect(await here.checkFlag(acme, 'can-export')).toBe(false);
    expect(await other.check([[acme, 'can-export']])).toEqual([false]);
  }, 30_000);
});
