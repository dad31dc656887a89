import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFetchWebhookHandler, type FlagsClient, RedisReplayGuard } from '../../src/server/index';
import { company, condition, flag, rule } from '../support/builders';
import type { DataStreamTestServer } from '../support/datastream-server';
import { nextEvent } from '../support/flags-files';
import { testRedis } from '../support/redis';
import { type SchematicServers, startSchematicServers } from '../support/schematic-clients';
import { delivery, SECRET } from '../support/webhooks';

describe('webhooks across instances sharing Redis', () => {
  let servers: SchematicServers;
  let stream: DataStreamTestServer;
  let redis: Awaited<ReturnType<typeof testRedis>>;

  beforeEach(async () => {
    servers = await startSchematicServers();
    stream = servers.stream;
    redis = await testRedis();
    stream.flags = [flag([rule({ id: 'r', name: 'Pro', conditions: [condition({ condition_type: 'plan', resource_ids: ['plan_pro'] })] })], { id: 'f', key: 'pro' })] as never;
    stream.companies = [company({ id: 'comp_acme', keys: { domain: 'acme.test' }, plan_ids: ['plan_free'] })] as never;
  });
  afterEach(async () => {
    await servers.stop();
    await redis.cleanup();
  });

  function instance(): FlagsClient {
    return servers.dataStreamClient({ dataStream: { redisClient: redis.client, redisKeyPrefix: redis.prefix } });
  }

  it('a delivery landing on one instance invalidates both', async () => {
    const [a, b] = [instance(), instance()];
    await Promise.all([a.ready(), b.ready()]);
    const acme = { company: { domain: 'acme.test' } };
    expect([await a.checkFlag(acme, 'pro'), await b.checkFlag(acme, 'pro')]).toEqual([false, false]);
    // Schematic changes the company; the webhook reaches only instance A.
    stream.companies = [company({ id: 'comp_acme', keys: { domain: 'acme.test' }, plan_ids: ['plan_pro'] })] as never;
    const heardByB = nextEvent(b, 'change');
    const handler = createFetchWebhookHandler({ secret: SECRET, client: a });
    const d = delivery('company.plan_changed', { id: 'comp_acme', keys: { domain: 'acme.test' } });
    expect((await handler(new Request('http://a/', { method: 'POST', body: d.raw, headers: d.headers }))).status).toBe(200);
    expect(await heardByB).toEqual({ type: 'company', id: 'comp_acme', keys: { domain: 'acme.test' } });
    expect([await a.checkFlag(acme, 'pro'), await b.checkFlag(acme, 'pro')]).toEqual([true, true]);
  });

  it('a replay is refused by every instance when the replay guard is in Redis', async () => {
    const guard = () => new RedisReplayGuard(redis.client, redis.prefix);
    const first = createFetchWebhookHandler({ secret: SECRET, replayGuard: guard() });
    const second = createFetchWebhookHandler({ secret: SECRET, replayGuard: guard() });
    const d = delivery('test.send', {});
    const send = (handler: typeof first) => handler(new Request('http://x/', { method: 'POST', body: d.raw, headers: d.headers }));
    expect((await send(first)).status).toBe(200);
    const replay = await send(second);
    expect([replay.status, (await replay.json()).code]).toEqual([400, 'replayed']);
  });
});
