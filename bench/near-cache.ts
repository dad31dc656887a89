import { pathToFileURL } from 'node:url';
import { createClient } from 'redis';
import { createFlagsClient, createReplicator, type FlagsClient, type FlagsClientOptions } from '../src/server/index';
import { DEFAULT_NEAR_CACHE_TTL_MS } from '../src/store/near-cache';
import { type RedisClient, RedisStore } from '../src/store/redis-store';
import { company, condition, flag, metric, rule } from '../test/support/builders';
import { DataStreamTestServer } from '../test/support/datastream-server';
import { SchematicTestServer } from '../test/support/schematic-server';
import { connectionIds, waitFor } from '../test/redis/redis-connections';
import { ReaderProcess } from '../test/replicator/near-cache-process';
import { formatNs, measure } from './measure';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const PREFIX = 'flagwire-bench-near:';
/** Its own prefix (and so its own notice channel): a DataStream-mode instance deletes invalidated entities from Redis, which would race the replicator-mode rounds. */
const DATASTREAM_PREFIX = 'flagwire-bench-near-ds:';
const LATENCY_ROUNDS = 200;

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
const ms = (value: number) => `${value.toFixed(2)} ms`;

/**
 * Redis-backed checks through the near cache: a warm check against the memory-hit cost in the same run,
 * and how long a change takes to reach another OS process's answers (p50/p99).
 */
export async function nearCacheBench(): Promise<string> {
  const api = await new SchematicTestServer().start();
  const stream = await new DataStreamTestServer().start(api.httpServer);
  const pro = condition({ condition_type: 'plan', resource_ids: ['plan_pro'] });
  const limit = condition({ condition_type: 'metric', operator: 'lt', event_subtype: 'exports', metric_value: 100 });
  stream.flags = [flag([rule({ id: 'r', rule_type: 'plan_entitlement', name: 'Pro', conditions: [pro, limit] })], { id: 'f', key: 'exports' })] as never;
  const acmeOn = (plan: string) => company({ id: 'comp_acme', keys: { domain: 'acme.test' }, plan_ids: [plan], metrics: [metric('exports', 3)] });
  stream.companies = [acmeOn('plan_pro')] as never;
  const connections: ReturnType<typeof createClient>[] = [];
  const connect = async (name: string) => {
    const client = createClient({ url: REDIS_URL, name });
    client.on('error', () => {});
    await client.connect();
    connections.push(client);
    return client;
  };
  const admin = await connect('flagwire-bench-near-admin');
  const replicator = await createReplicator({ apiKey: 'sch_test_key', basePath: api.url, redisClient: await connect('flagwire-bench-near-replicator'), redisKeyPrefix: PREFIX, healthPort: 0, logLevel: 'silent' });
  await replicator.whenReady();
  await waitFor(async () => (await admin.get(`${PREFIX}company:${replicator.cacheVersion}:comp_acme`)) !== null);

  // flag_check events go nowhere (a closed port, a small queue): the bench measures the check.
  const base: FlagsClientOptions = { apiKey: 'sch_test_key', basePath: api.url, eventCaptureBaseURL: 'http://127.0.0.1:9', logLevel: 'silent', maxQueuedEvents: 10_000, closeTimeoutMs: 10 };
  const memory = createFlagsClient({ ...base, useDataStream: true });
  const dataStream = createFlagsClient({ ...base, useDataStream: true, dataStream: { redisClient: await connect('flagwire-bench-near-ds'), redisKeyPrefix: DATASTREAM_PREFIX } });
  const replica = createFlagsClient({
    ...base,
    dataStream: { replicatorMode: true, redisClient: await connect('flagwire-bench-near-replica'), redisKeyPrefix: PREFIX, replicatorHealthURL: `${replicator.healthUrl}/ready`, replicatorHealthCheck: 1000 },
  });
  // The same reader with a client that cannot subscribe: no notices, so no near cache — every check reads Redis.
  const plain = await connect('flagwire-bench-near-plain');
  const withoutPubSub: RedisClient = { get: (k) => plain.get(k), set: (k, v) => plain.set(k, v), setEx: (k, s, v) => plain.setEx(k, s, v), del: (k) => plain.del(k), scanIterator: (o) => plain.scanIterator(o) };
  const uncached = createFlagsClient({
    ...base,
    dataStream: { replicatorMode: true, redisClient: withoutPubSub, redisKeyPrefix: PREFIX, replicatorHealthURL: `${replicator.healthUrl}/ready`, replicatorHealthCheck: 1000 },
  });
  const other = new ReaderProcess({ redisUrl: REDIS_URL, prefix: PREFIX, apiUrl: api.url, healthUrl: `${replicator.healthUrl}/ready`, watch: [[{ company: { domain: 'acme.test' } }, 'exports']] });
  await Promise.all([memory.ready(), dataStream.ready(), replica.ready(), uncached.ready(), other.ready()]);
  for (const name of ['flagwire-bench-near-ds', 'flagwire-bench-near-replica', other.name]) {
    await waitFor(async () => (await connectionIds(admin, name, { subscribers: true })).length === 1);
  }
  const ctx = { company: { domain: 'acme.test' } };
  for (const client of [memory, dataStream, replica, uncached] as FlagsClient[]) {
    if (!(await client.checkFlag(ctx, 'exports'))) throw new Error('bench setup: expected the flag on');
  }

  // The TTL is 2 s, so a measured batch re-reads Redis about once per 2 s per client, as in production.
  const results = await measure([
    { name: 'DataStream check, memory cache hit (baseline)', async: true, run: () => memory.checkFlag(ctx, 'exports') },
    { name: 'DataStream + Redis check, warm near cache', async: true, run: () => dataStream.checkFlag(ctx, 'exports') },
    { name: 'replicator-mode check (Redis), warm near cache', async: true, run: () => replica.checkFlag(ctx, 'exports') },
    { name: 'replicator-mode check without a near cache (two Redis round trips)', async: true, run: () => uncached.checkFlag(ctx, 'exports') },
    { name: 'one node-redis GET round trip (for scale)', async: true, run: () => admin.get(`${PREFIX}probe`) },
  ], { rounds: 20 });

  // Invalidation latency: a change made here, until the other process answers with it.
  const store = new RedisStore({ client: admin, keyPrefix: PREFIX, version: () => replicator.cacheVersion, entityTtlMs: 0 });
  const latency = async (change: (plan: string) => Promise<unknown> | void): Promise<number[]> => {
    const samples: number[] = [];
    for (let i = 0; i < LATENCY_ROUNDS; i++) {
      const plan = i % 2 === 0 ? 'plan_free' : 'plan_pro';
      const from = other.mark();
      const started = performance.now();
      await change(plan);
      await other.until((m) => m.type === 'change' && m.event?.type === 'company' && m.answers?.[0] === (plan === 'plan_pro'), from);
      samples.push(performance.now() - started);
    }
    return samples.sort((a, b) => a - b);
  };
  const throughReplicator = await latency((plan) => stream.pushCompanyPartial('comp_acme', { plan_ids: [plan] }));
  const throughWebhook = await latency(async (plan) => {
    await store.putCompany(acmeOn(plan)); // as Schematic's own replicator would: no notice
    await replica.invalidate({ type: 'company', id: 'comp_acme', keys: { domain: 'acme.test' } });
  });

  await other.stop();
  await Promise.all([memory.close(), dataStream.close(), replica.close(), uncached.close()]);
  await replicator.close();
  for (const prefix of [PREFIX, DATASTREAM_PREFIX]) for await (const key of admin.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) await admin.del(key);
  for (const client of connections) await client.quit();
  await stream.stop();
  await api.stop();

  const baseline = results[0]!.nsPerOp;
  const latencyRow = (path: string, samples: number[]) => `| ${path} | ${ms(quantile(samples, 0.5))} | ${ms(quantile(samples, 0.99))} | ${ms(samples.at(-1) ?? Number.NaN)} |`;
  return [
    '## Redis near cache: checks at memory speed, and invalidation across processes',
    '',
    `Flag set and company warm in each process's near cache (TTL ${DEFAULT_NEAR_CACHE_TTL_MS} ms; invalidated by pub/sub notices and webhooks).`,
    'Target: a warm Redis-mode check within 2× of the memory hit.',
    '',
    '| path | per check | p10 – p90 | vs memory hit |',
    '|---|---|---|---|',
    ...results.map((r) => `| ${r.name} | ${formatNs(r.nsPerOp)} | ${formatNs(r.p10)} – ${formatNs(r.p90)} | ${(r.nsPerOp / baseline).toFixed(2)}× |`),
    '',
    `Invalidation latency, ${LATENCY_ROUNDS} changes each: from the change made in this process until a second OS process (replicator mode, on the`,
    'same Redis) answers with it — notice delivered, near cache dropped, entity re-read from Redis, answer piped back.',
    '',
    '| change path | p50 | p99 | max |',
    '|---|---|---|---|',
    latencyRow('DataStream push → replicator writes Redis and publishes → other process', throughReplicator),
    latencyRow('Redis written without a notice, then `client.invalidate()` (webhook) here → other process', throughWebhook),
    '',
    `A change nobody announces reaches every process within the TTL (${DEFAULT_NEAR_CACHE_TTL_MS} ms).`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(await nearCacheBench());
