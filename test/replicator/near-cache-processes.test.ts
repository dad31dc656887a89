import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WireCompany } from '../../src/evaluators/schematic/engine';
import { changesChannel, RedisFanout } from '../../src/store/redis-fanout';
import type { FlagsClient } from '../../src/server/index';
import { DEFAULT_NEAR_CACHE_TTL_MS } from '../../src/store/near-cache';
import { RedisStore } from '../../src/store/redis-store';
import { company, condition, flag, rule } from '../support/builders';
import { recordingLogger } from '../support/flags-files';
import { REDIS_URL } from '../support/redis';
import { type ReplicatorStack, startReplicatorStack } from '../support/replicator-stack';
import { connectionIds, waitFor } from '../redis/redis-connections';
import { TcpProxy } from '../redis/tcp-proxy';
import { ReaderProcess } from './near-cache-process';

/**
 * Two OS processes reading one Redis through near caches, with flagwire's replicator writing it. Bounds:
 * a change announced on pub/sub is in the other process's answers once that process has heard the
 * notice; a change nobody announces, within DEFAULT_NEAR_CACHE_TTL_MS of reaching Redis.
 */
const proFlag = flag([rule({ id: 'r1', name: 'Pro', conditions: [condition({ condition_type: 'plan', resource_ids: ['plan_pro'] })] })], { id: 'f1', key: 'pro-feature' });
const acmeOn = (plan: string): WireCompany => company({ id: 'comp_acme', keys: { domain: 'acme.test' }, plan_ids: [plan] }) as WireCompany;
const acme = { company: { domain: 'acme.test' } };
const checks: [typeof acme, string][] = [[acme, 'pro-feature']];
const THIS_PROCESS = `near-cache-this-${randomUUID().slice(0, 8)}`;
const acmeChanged = { type: 'company', id: 'comp_acme', keys: { domain: 'acme.test' } } as const;

describe('near cache across two processes sharing Redis (replicator mode, real Redis)', () => {
  let stack: ReplicatorStack;

  beforeEach(async () => {
    stack = await startReplicatorStack((stream) => {
      stream.flags = [proFlag] as never;
      stream.companies = [acmeOn('plan_pro')] as never;
    }, 'comp_acme');
  });
  afterEach(() => stack.stop());

  async function otherProcess(options: { subscriberUrl?: string } = {}): Promise<ReaderProcess> {
    const reader = new ReaderProcess({ redisUrl: REDIS_URL, prefix: stack.redis.prefix, apiUrl: stack.api.url, healthUrl: `${stack.replicator.healthUrl}/ready`, watch: checks, ...options });
    stack.closers.push(() => reader.stop());
    await reader.ready();
    await subscribed(reader.name);
    return reader;
  }

  /** Redis itself lists the pub/sub connection: from here on, notices reach it. */
  function subscribed(name: string): Promise<void> {
    return waitFor(async () => (await connectionIds(stack.redis.client, name, { subscribers: true })).length === 1);
  }

  async function thisProcess(): Promise<FlagsClient> {
    const named = createClient({ url: REDIS_URL, name: THIS_PROCESS });
    named.on('error', () => {});
    await named.connect();
    stack.closers.push(() => named.quit());
    const client = stack.reader(named);
    await client.ready();
    await subscribed(THIS_PROCESS);
    return client;
  }

  /** Writes the company as Schematic's own replicator would: into Redis, with no flagwire notice. */
  function writeSilently(wire: WireCompany): Promise<unknown> {
    return new RedisStore({ client: stack.redis.client, keyPrefix: stack.redis.prefix, version: () => stack.replicator.cacheVersion, entityTtlMs: 0 }).putCompany(wire);
  }

  it('a company changed through the replicator is in the other process’s answers once it hears the notice, change after change', async () => {
    const other = await otherProcess();
    expect(await other.check(checks)).toEqual([true]);
    for (let i = 0; i < 10; i++) {
      const plan = i % 2 === 0 ? 'plan_free' : 'plan_pro';
      expect(await other.check(checks)).toEqual([plan !== 'plan_pro']); // warm: served from its near cache
      const from = other.mark();
      stack.stream.pushCompanyPartial('comp_acme', { plan_ids: [plan] });
      const heard = await other.until((m) => m.type === 'change' && m.event?.type === 'company', from);
      expect(heard.answers).toEqual([plan === 'plan_pro']);
      expect(await other.check(checks)).toEqual([plan === 'plan_pro']);
    }
  }, 30_000);

  it('a webhook invalidation on one process reaches both processes’ answers when Redis changed without a notice', async () => {
    const other = await otherProcess();
    const here = await thisProcess();
    expect([await here.checkFlag(acme, 'pro-feature'), ...(await other.check(checks))]).toEqual([true, true]);
    await writeSilently(acmeOn('plan_free'));
    const from = other.mark();
    await here.invalidate(acmeChanged);
    expect(await here.checkFlag(acme, 'pro-feature')).toBe(false);
    expect((await other.until((m) => m.type === 'change', from)).answers).toEqual([false]);
    expect(await other.check(checks)).toEqual([false]);
  }, 30_000);

  it('a webhook landing on the other process reaches this process’s answers', async () => {
    const other = await otherProcess();
    const here = await thisProcess();
    expect(await here.checkFlag(acme, 'pro-feature')).toBe(true);
    await writeSilently(acmeOn('plan_free'));
    const heard = new Promise((resolve) => here.subscribe(resolve));
    await other.invalidate(acmeChanged);
    expect(await heard).toEqual(acmeChanged);
    expect(await here.checkFlag(acme, 'pro-feature')).toBe(false);
  }, 30_000);

  it('a change no notice announces is in both processes’ answers once the TTL has passed since it reached Redis', async () => {
    const other = await otherProcess();
    const here = await thisProcess();
    expect([await here.checkFlag(acme, 'pro-feature'), ...(await other.check(checks))]).toEqual([true, true]);
    await writeSilently(acmeOn('plan_free'));
    await new Promise((r) => setTimeout(r, DEFAULT_NEAR_CACHE_TTL_MS));
    expect([await here.checkFlag(acme, 'pro-feature'), ...(await other.check(checks))]).toEqual([false, false]);
  }, 30_000);

  it('a lost pub/sub connection: changes announced while it is away are in its answers, during the outage and after it resubscribes', async () => {
    const proxy = await new TcpProxy({ host: new URL(REDIS_URL).hostname, port: Number(new URL(REDIS_URL).port || 6379) }).start();
    stack.closers.push(() => proxy.stop());
    const other = await otherProcess({ subscriberUrl: proxy.url });
    const publisher = new RedisFanout(stack.redis.client, changesChannel(stack.redis.prefix), recordingLogger().logger);
    expect(await other.check(checks)).toEqual([true]);
    expect(await other.check(checks)).toEqual([true]);

    const from = other.mark();
    proxy.refusing = true;
    proxy.cutAll();
    await other.until((m) => m.type === 'subscriber' && m.live === false, from);
    // Each change is announced, and each notice lost: nobody is subscribed for it.
    for (const plan of ['plan_free', 'plan_pro', 'plan_free']) {
      await writeSilently(acmeOn(plan));
      publisher.publish(acmeChanged);
      expect(await other.check(checks)).toEqual([plan === 'plan_pro']);
    }

    await writeSilently(acmeOn('plan_pro'));
    publisher.publish(acmeChanged);
    const back = other.mark();
    proxy.refusing = false;
    await other.until((m) => m.type === 'subscriber' && m.live === true, back);
    expect(await other.check(checks)).toEqual([true]);
    await subscribed(other.name);
    // And notices reach it again.
    const heard = other.mark();
    stack.stream.pushCompanyPartial('comp_acme', { plan_ids: ['plan_free'] });
    expect((await other.until((m) => m.type === 'change' && m.event?.type === 'company', heard)).answers).toEqual([false]);
  }, 30_000);
});
