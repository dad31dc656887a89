import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FlagsClient, FlagsClientOptions } from '../../src/server/index';
import { company, condition, flag, metric, rule, traitCondition, traitDefinition } from '../support/builders';
import type { DataStreamTestServer } from '../support/datastream-server';
import { recordingLogger } from '../support/flags-files';
import { testRedis } from '../support/redis';
import { type SchematicServers, startSchematicServers } from '../support/schematic-clients';

/**
 * DataStream mode counts tracked usage into the cached company, as Schematic's SDK does. Each track must
 * count exactly once, also when the server's own updates to that company (partials) land between them.
 */

const tier = traitDefinition('tier', 'string', 'company');
const usage = condition({ condition_type: 'metric', operator: 'lt', event_subtype: 'calls', metric_value: 1_000_000 });
const meteredFlag = flag([rule({ id: 'r_metered', rule_type: 'plan_entitlement', conditions: [usage] })], { id: 'flag_metered', key: 'metered' });
const goldFlag = flag([rule({ id: 'r_gold', conditions: [traitCondition(tier, 'eq', 'gold')] })], { id: 'flag_gold', key: 'gold' });
const ctx = { company: { domain: 'acme.test' } };

async function until(predicate: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each([
  ['companies in memory', false],
  ['companies in Redis', true],
])('DataStream mode, %s: track() counts every event once', (_name, withRedis) => {
  let servers: SchematicServers;
  let stream: DataStreamTestServer;
  const cleanups: (() => unknown)[] = [];

  beforeEach(async () => {
    servers = await startSchematicServers();
    stream = servers.stream;
    stream.flags = [meteredFlag, goldFlag] as never;
    stream.companies = [company({ id: 'comp_acme', keys: { domain: 'acme.test' }, metrics: [metric('calls', 100)] })] as never;
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await servers.stop();
  });

  async function start(): Promise<FlagsClient> {
    const options: FlagsClientOptions = { eventBufferInterval: 60_000, logger: recordingLogger().logger, dataStream: { reconnectInitialDelayMs: 20 } };
    if (withRedis) {
      const redis = await testRedis();
      cleanups.push(() => redis.cleanup());
      options.dataStream = { ...options.dataStream, redisClient: redis.client, redisKeyPrefix: redis.prefix };
    }
    const client = servers.dataStreamClient(options);
    await client.ready();
    return client;
  }

  const usageNow = async (client: FlagsClient) => (await client.checkFlagWithEntitlement(ctx, 'metered')).featureUsage;

  it('200 track() calls not awaited, with server partials changing the company among them, count 200', async () => {
    const client = await start();
    expect(await usageNow(client)).toBe(100); // fetched and cached
    const pending: unknown[] = [];
    for (let n = 0; n < 200; n++) {
      pending.push(client.track({ event: 'calls', company: ctx.company }));
      if (n % 40 === 20) stream.pushCompanyPartial('comp_acme', { traits: [{ trait_definition: tier, value: n % 80 === 20 ? 'gold' : 'silver' }] });
    }
    stream.pushCompanyPartial('comp_acme', { traits: [{ trait_definition: tier, value: 'gold' }] });
    await Promise.all(pending);
    await until(async () => (await usageNow(client)) === 300 && (await client.checkFlag(ctx, 'gold')), 'every track counted and the last partial applied');
    expect(await usageNow(client)).toBe(300);
  });
});
