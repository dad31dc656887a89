import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FlagsClientOptions } from '../../src/server/index';
import { ENGINE_VERSION_KEY } from '../../src/store/redis-keys';
import { company, condition, flag, metric, rule } from '../support/builders';
import type { DataStreamTestServer } from '../support/datastream-server';
import { nextEvent, recordingLogger } from '../support/flags-files';
import { Random } from '../support/random';
import { testRedis } from '../support/redis';
import { type SchematicServers, startSchematicServers } from '../support/schematic-clients';
import type { SchematicTestServer } from '../support/schematic-server';

const isPro = condition({ condition_type: 'plan', operator: 'eq', resource_ids: ['plan_pro'] });
const proFlag = flag([rule({ id: 'r_pro', name: 'Pro', conditions: [isPro] })], { id: 'flag_pro', key: 'pro-feature' });
const underLimit = condition({ condition_type: 'metric', operator: 'lt', event_subtype: 'exports', metric_value: 3 });
const limitFlag = flag([rule({ id: 'r_lim', rule_type: 'plan_entitlement', conditions: [underLimit] })], { id: 'flag_lim', key: 'exports' });
const acme = company({ id: 'comp_acme', keys: { domain: 'acme.test' }, plan_ids: ['plan_free'], metrics: [metric('exports', 1)] });
const ctx = { company: { domain: 'acme.test' } };

async function until(predicate: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('DataStream mode (real ws on loopback)', () => {
  let servers: SchematicServers;
  let stream: DataStreamTestServer;
  let api: SchematicTestServer;

  beforeEach(async () => {
    servers = await startSchematicServers();
    ({ api, stream } = servers);
    stream.flags = [proFlag, limitFlag] as never;
    stream.companies = [acme] as never;
    api.flags = { 'pro-feature': { value: true, reason: 'from REST' } };
  });
  afterEach(() => servers.stop());

  function start(extra: FlagsClientOptions = {}) {
    const log = recordingLogger();
    const client = servers.dataStreamClient({ eventBufferInterval: 60_000, logger: log.logger, dataStream: { reconnectInitialDelayMs: 20 }, ...extra });
    return { client, log };
  }

  it('authenticates in the handshake, asks for the flag set, and evaluates in-process', async () => {
    const { client } = start();
    expect(await client.ready()).toBe('ready');
    expect(client.mode).toBe('datastream');
    expect(stream.handshakes[0]).toMatchObject({ 'x-schematic-api-key': 'sch_test_key', 'x-schematic-client': 'flagwire', 'x-schematic-datastream-mode': 'datastream' });
    expect(stream.received[0]).toEqual({ data: { entity_type: 'rulesengine.Flags' } });
    expect(await client.checkFlagWithEntitlement(ctx, 'pro-feature')).toMatchObject({ value: false, reason: 'No rules matched; default value for flag', companyId: 'comp_acme' });
    expect(api.requests.filter((r) => r.path.startsWith('/flags'))).toEqual([]);
  });

  it('fetches an unknown company once for concurrent checks, then serves it from the cache', async () => {
    const { client } = start();
    await client.ready();
    await Promise.all([client.checkFlag(ctx, 'pro-feature'), client.checkFlag(ctx, 'exports'), client.snapshot(ctx)]);
    await client.checkFlag(ctx, 'pro-feature');
    const companyRequests = stream.received.filter((f) => (f.data as { entity_type: string }).entity_type === 'rulesengine.Company');
    expect(companyRequests).toEqual([{ data: { entity_type: 'rulesengine.Company', keys: { domain: 'acme.test' } } }]);
  });

  it('applies a pushed flag change to the next check and emits change', async () => {
    const { client } = start();
    await client.ready();
    expect(await client.checkFlag(ctx, 'pro-feature')).toBe(false);
    const changed = nextEvent(client, 'change');
    stream.pushFlag(flag([rule({ id: 'r_all', name: 'Everyone' })], { id: 'flag_pro', key: 'pro-feature' }) as never);
    expect(await changed).toEqual({ type: 'flags', keys: ['pro-feature'] });
    expect(await client.checkFlag(ctx, 'pro-feature')).toBe(true);
    const deleted = nextEvent(client, 'change');
    stream.deleteFlag({ id: 'flag_pro', key: 'pro-feature' });
    await deleted;
    // No longer cached locally: the check falls back to the REST API.
    expect(await client.checkFlagWithEntitlement(ctx, 'pro-feature')).toMatchObject({ value: true, reason: 'from REST' });
  });

  it('merges company partials into the cached company', async () => {
    const { client } = start();
    await client.ready();
    expect(await client.checkFlag(ctx, 'pro-feature')).toBe(false);
    const changed = nextEvent(client, 'change');
    stream.pushCompanyPartial('comp_acme', { plan_ids: ['plan_pro'] });
    expect(await changed).toMatchObject({ type: 'company', id: 'comp_acme' });
    expect(await client.checkFlag(ctx, 'pro-feature')).toBe(true);
    stream.pushCompanyPartial('comp_acme', { metrics: [metric('exports', 5)] });
    await until(async () => !(await client.checkFlag(ctx, 'exports')));
  });

  it('falls back to REST for a company DataStream does not know', async () => {
    const { client } = start();
    await client.ready();
    expect(await client.checkFlagWithEntitlement({ company: { domain: 'nobody.test' } }, 'pro-feature')).toMatchObject({ value: true, reason: 'from REST' });
  });

  it('reports local checks as flag_check events, and counts tracked usage in the cached company', async () => {
    const { client } = start();
    await client.ready();
    expect(await client.checkFlag(ctx, 'exports')).toBe(true);
    await client.track({ event: 'exports', company: ctx.company, quantity: 2 });
    expect(await client.checkFlag(ctx, 'exports')).toBe(false);
    await client.close();
    const types = api.events.map((e) => e.type);
    expect(types).toContain('track');
    expect(api.events.find((e) => e.type === 'flag_check')?.body).toMatchObject({ flag_key: 'exports', value: true, company_id: 'comp_acme', req_company: { domain: 'acme.test' } });
  });

  it('keeps answering from the cache while disconnected (stale), then reconnects and resyncs', async () => {
    const { client } = start();
    await client.ready();
    await client.checkFlag(ctx, 'pro-feature');
    const stale = nextEvent(client, 'status');
    stream.refusing = true;
    stream.dropAll();
    expect(await stale).toBe('stale');
    expect(await client.checkFlagWithEntitlement(ctx, 'pro-feature')).toMatchObject({ value: false, companyId: 'comp_acme' });
    await new Promise((r) => setTimeout(r, 200)); // a few refused reconnects
    // Back, with a changed flag set: the reconnect asks for it again, and flags gone from it go.
    stream.flags = [flag([rule({ id: 'r_all', name: 'Everyone' })], { id: 'flag_pro', key: 'pro-feature' })] as never;
    stream.refusing = false;
    await until(() => client.status === 'ready');
    expect(await client.checkFlag(ctx, 'pro-feature')).toBe(true);
    api.flags = { exports: { value: true, reason: 'from REST' } };
    expect(await client.checkFlagWithEntitlement(ctx, 'exports')).toMatchObject({ reason: 'from REST' });
  });

  it('survives 10,000 malformed frames without crashing or corrupting the cache', async () => {
    const { client, log } = start();
    await client.ready();
    const before = await client.checkFlagWithEntitlement(ctx, 'exports');
    const garbage = [
      'not json',
      '{}',
      '[]',
      'null',
      '{"entity_type":"rulesengine.Flags","message_type":"full","data":{"not":"a list"}}',
      '{"entity_type":"rulesengine.Flag","message_type":"full","data":{"key":"exports","rules":"nope"}}',
      '{"entity_type":"rulesengine.Company","message_type":"full","data":{"keys":{"domain":"acme.test"}}}',
      '{"entity_type":"rulesengine.Company","message_type":"full","data":{"id":"comp_acme","keys":{"domain":"acme.test"},"plan_ids":5}}',
      '{"entity_type":"rulesengine.Company","message_type":"partial","entity_id":"comp_acme","data":{"metrics":[{"value":"x"}]}}',
      '{"entity_type":"rulesengine.Company","message_type":"partial","data":{"plan_ids":["plan_pro"]}}',
      '{"entity_type":"rulesengine.User","message_type":"delete"}',
      '{"entity_type":"rulesengine.Company","message_type":"bogus","data":{}}',
      '{"entity_type":"rulesengine.Company","message_type":"error","data":"boom"}',
    ];
    // Half fixed shapes that each break one rule, half random frames: random entity and message types,
    // random data, truncated JSON.
    const random = new Random(404);
    const entityTypes = ['rulesengine.Flags', 'rulesengine.Flag', 'rulesengine.Company', 'rulesengine.User', 'rulesengine.Companies', 'x', ''];
    // `reload` is a legitimate instruction (drop and resync) that would cut the stream short; it is left out.
    const messageTypes = ['full', 'partial', 'delete', 'error', 'unknown', 'nope', 7];
    const values: unknown[] = [null, 1, -1.5, 'x', true, [], {}, [1, 'a'], { id: 'comp_acme' }, { id: 'comp_acme', keys: 'k' }, { keys: { domain: 'acme.test' } }];
    const randomData = (): unknown => (random.chance(0.5) ? random.pick(values) : Object.fromEntries(random.times(0, 4, () => [random.pick(['id', 'key', 'keys', 'plan_ids', 'metrics', 'rules', 'traits', 'credit_balances', 'entitlements']), random.pick(values)])));
    for (let i = 0; i < 10_000; i++) {
      if (i % 2 === 0) {
        stream.broadcast(garbage[(i / 2) % garbage.length] as string);
        continue;
      }
      const frame = JSON.stringify({ entity_type: random.pick(entityTypes), message_type: random.pick(messageTypes), data: randomData(), ...(random.chance(0.5) ? { entity_id: random.pick(['comp_acme', 'nobody', 5]) } : {}) });
      stream.broadcast(random.chance(0.1) ? frame.slice(0, random.int(1, frame.length - 1)) : frame);
    }
    // Some random frames are legitimate (a reload, a delete, an empty flag set): the server's state is the
    // truth to come back to. Re-send it, plus a sentinel, until the client has caught up.
    const sentinel = flag([], { id: 'flag_sentinel', key: 'sentinel', default_value: true });
    await until(async () => {
      stream.broadcast({ entity_type: 'rulesengine.Flags', message_type: 'full', data: [proFlag, limitFlag, sentinel] });
      return (await client.checkFlagWithEntitlement(ctx, 'sentinel')).flagId === 'flag_sentinel';
    }, 20_000);
    const after = await client.checkFlagWithEntitlement(ctx, 'exports');
    expect(after).toEqual(before);
    expect(client.status).toBe('ready');
    // Every frame reached the client: each unreadable or inapplicable one was reported.
    expect(log.lines.filter((l) => l.level === 'warn').length).toBeGreaterThan(4000);
  }, 30_000);
});

describe('DataStream mode with a Redis cache', () => {
  it('writes flags and companies to Redis in Schematic’s layout', async () => {
    const servers = await startSchematicServers();
    const redis = await testRedis();
    servers.stream.flags = [proFlag] as never;
    servers.stream.companies = [acme] as never;
    const client = servers.dataStreamClient({ dataStream: { redisClient: redis.client, redisKeyPrefix: redis.prefix } });
    try {
      await client.ready();
      expect(await client.checkFlag(ctx, 'pro-feature')).toBe(false);
      expect(JSON.parse((await redis.client.get(`${redis.prefix}flags:${ENGINE_VERSION_KEY}:pro-feature`)) ?? 'null')).toMatchObject({ id: 'flag_pro' });
      expect(await redis.client.get(`${redis.prefix}company:${ENGINE_VERSION_KEY}:domain:acme.test`)).toBe('"comp_acme"');
    } finally {
      await servers.stop();
      await redis.cleanup();
    }
  });
});
