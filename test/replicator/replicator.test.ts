import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { changesChannel } from '../../src/store/redis-fanout';
import { createFlagsClient } from '../../src/server/index';
import { waitFor } from '../redis/redis-connections';
import { company, condition, flag, rule, traitCondition, traitDefinition, user } from '../support/builders';
import { nextEvent, recordingLogger } from '../support/flags-files';
import { REDIS_URL } from '../support/redis';
import { type ReplicatorStack, startReplicatorStack } from '../support/replicator-stack';

const require = createRequire(import.meta.url);

const seats = traitDefinition('trait_seats', 'int');
const flags = [
  flag([rule({ id: 'r1', name: 'Pro', conditions: [condition({ condition_type: 'plan', resource_ids: ['plan_pro'] })] })], { id: 'f1', key: 'pro-feature' }),
  flag([rule({ id: 'r2', name: 'Big', conditions: [traitCondition(seats, 'gte', '50')] })], { id: 'f2', key: 'big-teams' }),
  flag([rule({ id: 'r3', rule_type: 'company_override', name: 'Acme', conditions: [condition({ condition_type: 'company', resource_ids: ['comp_acme'] })] })], { id: 'f3', key: 'acme-only', default_value: false }),
  flag([], { id: 'f4', key: 'always-on', default_value: true }),
];
const companies = [
  company({ id: 'comp_acme', keys: { domain: 'acme.test' }, plan_ids: ['plan_pro'], traits: [{ trait_definition: seats, value: '12' }] }),
  company({ id: 'comp_globex', keys: { domain: 'globex.test' }, plan_ids: ['plan_free'], traits: [{ trait_definition: seats, value: '80' }] }),
  company({ id: 'comp_initech', keys: { domain: 'initech.test' }, plan_ids: [], traits: [] }),
];
const contexts = [...companies.map((c) => ({ company: c.keys ?? {} })), { company: { domain: 'unknown.test' } }];

describe('replicator role and replicator mode (real ws, real Redis)', () => {
  let stack: ReplicatorStack;

  beforeEach(async () => {
    stack = await startReplicatorStack((stream) => {
      stream.flags = flags as never;
      stream.companies = companies as never;
      stream.users = [user({ id: 'user_ada', keys: { email: 'ada@acme.test' } })] as never;
    }, 'comp_initech');
  });
  afterEach(() => stack.stop());

  it('serves /health and /ready in Schematic’s replicator shape', async () => {
    const health = await (await fetch(`${stack.replicator.healthUrl}/health`)).json();
    expect(health).toMatchObject({ status: 'healthy', ready: true, connected: true, components: { redis: 'connected', datastream: 'ready' }, cache_version: stack.replicator.cacheVersion });
    expect((await fetch(`${stack.replicator.healthUrl}/ready`)).status).toBe(200);
    stack.stream.refusing = true;
    stack.stream.dropAll();
    await waitFor(async () => (await fetch(`${stack.replicator.healthUrl}/ready`)).status === 503);
    stack.stream.refusing = false;
  });

  it('writes every company and user it is sent, under the cache version it reports', async () => {
    expect(stack.stream.received).toContainEqual({ data: { entity_type: 'rulesengine.Companies', action: 'start' } });
    // Users stream after companies: the stack is ready once the last company is written, so wait for the user.
    const userKey = `${stack.redis.prefix}user:${stack.replicator.cacheVersion}:email:ada@acme.test`;
    await waitFor(async () => (await stack.redis.client.get(userKey)) !== null);
    expect(await stack.redis.client.get(userKey)).toBe('"user_ada"');
  });

  it('a replicator-mode client reads Redis and answers like a client holding its own socket', async () => {
    const fromRedis = stack.reader();
    const direct = createFlagsClient({ apiKey: 'sch_test_key', useDataStream: true, basePath: stack.api.url, eventCaptureBaseURL: stack.api.url, logger: recordingLogger().logger });
    stack.closers.push(() => direct.close());
    expect(await fromRedis.ready()).toBe('ready');
    expect(fromRedis.mode).toBe('replicator');
    await direct.ready();
    for (const ctx of contexts.slice(0, 3)) {
      for (const f of flags) expect([ctx, f.key, await fromRedis.checkFlag(ctx, f.key)]).toEqual([ctx, f.key, await direct.checkFlag(ctx, f.key)]);
    }
    // An entity Redis does not have is absent: no fetch, rules on companies just do not match.
    expect(await fromRedis.checkFlagWithEntitlement(contexts[3]!, 'acme-only')).toMatchObject({ value: false, companyId: null });
    expect(stack.api.requests.filter((r) => r.path.startsWith('/flags/'))).toEqual([]);
  });

  it('a change on the replicator reaches the reader through Redis pub/sub', async () => {
    const fromRedis = stack.reader();
    await fromRedis.ready();
    const acme = { company: { domain: 'acme.test' } };
    expect(await fromRedis.checkFlag(acme, 'big-teams')).toBe(false);
    const changed = nextEvent(fromRedis, 'change');
    stack.stream.pushFlag(flag([rule({ id: 'r2b', name: 'Everyone' })], { id: 'f2', key: 'big-teams' }) as never);
    expect(await changed).toEqual({ type: 'flags', keys: ['big-teams'] });
    expect(await fromRedis.checkFlag(acme, 'big-teams')).toBe(true);
    const companyChanged = nextEvent(fromRedis, 'change');
    stack.stream.pushCompanyPartial('comp_globex', { plan_ids: ['plan_pro'] });
    expect(await companyChanged).toMatchObject({ type: 'company', id: 'comp_globex' });
    expect(await fromRedis.checkFlag({ company: { domain: 'globex.test' } }, 'pro-feature')).toBe(true);
  });

  it('two processes sharing Redis give identical answers, and a change reaches the other process via pub/sub', async () => {
    const checks: [Record<string, string>, string][] = contexts.slice(0, 3).flatMap((c) => flags.map((f): [Record<string, string>, string] => [c.company, f.key]));
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../support/child-reader.ts', import.meta.url))], {
      env: { ...process.env, REDIS_URL, PREFIX: stack.redis.prefix, HEALTH_URL: `${stack.replicator.healthUrl}/ready`, API_URL: stack.api.url, CHECKS: JSON.stringify(checks) },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    stack.closers.push(async () => {
      child.stdin?.end();
      await new Promise((r) => child.once('exit', r));
    });
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const next = async () => JSON.parse(((await lines.next()).value as string) ?? 'null') as { label: string; answers: boolean[] };
    const here = stack.reader();
    await here.ready();
    const ours = async () => Promise.all(checks.map(([company, key]) => here.checkFlag({ company }, key)));
    const theirs = await next();
    expect(theirs.label).toBe('ready');
    expect(theirs.answers).toEqual(await ours());
    // Change notices reach a process once its subscriber is in: wait for both processes' before changing.
    const channel = changesChannel(stack.redis.prefix);
    await waitFor(async () => ((await stack.redis.client.pubSubNumSub(channel))[channel] ?? 0) >= 2, 10_000);
    stack.stream.pushFlag(flag([], { id: 'f1', key: 'pro-feature', default_value: true }) as never);
    // The new flag is on for every company: the other process has it once all its pro-feature answers are true.
    const proFeature = checks.flatMap(([, key], i) => (key === 'pro-feature' ? [i] : []));
    const changed = (answers: boolean[]) => proFeature.every((i) => answers[i] === true);
    expect(changed(theirs.answers)).toBe(false);
    let after = await next();
    while (!changed(after.answers)) after = await next();
    expect(after.label).toBe('changed');
    // Compare once this process answers with the change too: it follows on its own subscription, in its own time.
    await waitFor(async () => changed(await ours()), 10_000);
    expect(after.answers).toEqual(await ours());
  }, 30_000);

  it('interop: Schematic’s own Node SDK in replicator mode, reading flagwire’s Redis, gives flagwire’s answers', async () => {
    const { SchematicClient } = require('@schematichq/schematic-typescript-node') as { SchematicClient: new (options: object) => { checkFlag(ctx: object, key: string): Promise<boolean>; close(): Promise<void> } };
    const silent = { error() {}, warn() {}, info() {}, debug() {} };
    const schematic = new SchematicClient({
      apiKey: 'sch_test_key',
      basePath: stack.api.url,
      eventCaptureBaseURL: stack.api.url,
      logger: silent,
      useDataStream: true,
      dataStream: { replicatorMode: true, redisClient: stack.redis.client, redisKeyPrefix: stack.redis.prefix, replicatorHealthURL: `${stack.replicator.healthUrl}/ready`, replicatorHealthCheck: 200 },
    });
    stack.closers.push(() => schematic.close());
    const fromRedis = stack.reader();
    await fromRedis.ready();
    await new Promise((r) => setTimeout(r, 500)); // Schematic's SDK polls health before it trusts the cache
    const answers: [string, string, boolean, boolean][] = [];
    for (const ctx of contexts.slice(0, 3)) {
      for (const f of flags) answers.push([ctx.company.domain as string, f.key, await schematic.checkFlag(ctx, f.key), await fromRedis.checkFlag(ctx, f.key)]);
    }
    expect(answers.filter(([, , theirs, ours]) => theirs !== ours)).toEqual([]);
    // Not all defaults: the cache was really read.
    expect(answers.filter(([, , theirs]) => theirs).length).toBeGreaterThanOrEqual(5);
    expect(stack.api.requests.filter((r) => r.path.startsWith('/flags/'))).toEqual([]);
  });
});
