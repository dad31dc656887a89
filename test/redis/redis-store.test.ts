import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { evaluateFlag } from '../../src/engine';
import { ENGINE_VERSION_KEY } from '../../src/store/redis-keys';
import { DEFAULT_ENTITY_TTL_MS, RedisStore } from '../../src/store/redis-store';
import { company, flag, rule } from '../support/builders';
import { testRedis } from '../support/redis';

describe('Redis store (real Redis, Schematic key layout)', () => {
  let redis: Awaited<ReturnType<typeof testRedis>>;
  let store: RedisStore;
  let version = ENGINE_VERSION_KEY;

  beforeEach(async () => {
    redis = await testRedis();
    version = ENGINE_VERSION_KEY;
    store = new RedisStore({ client: redis.client, keyPrefix: redis.prefix, version: () => version, entityTtlMs: DEFAULT_ENTITY_TTL_MS });
  });
  afterEach(() => redis.cleanup());

  it('writes companies as snake_case JSON under {prefix}company:{version}:{id}, with key maps holding the id as a JSON string', async () => {
    await store.putCompany(company({ id: 'comp_1', keys: { Domain: 'Acme.Test', crm: 'X-1' } }));
    const raw = await redis.client.get(`${redis.prefix}company:${version}:comp_1`);
    expect(JSON.parse(raw ?? 'null')).toMatchObject({ id: 'comp_1', account_id: 'acct_1', keys: { Domain: 'Acme.Test' } });
    expect(await redis.client.get(`${redis.prefix}company:${version}:domain:acme.test`)).toBe('"comp_1"');
    expect(await redis.client.get(`${redis.prefix}company:${version}:crm:x-1`)).toBe('"comp_1"');
  });

  it('finds an entity by any of its keys, case-insensitively, and parses it for evaluation', async () => {
    await store.putCompany(company({ id: 'comp_1', keys: { domain: 'acme.test' }, plan_ids: ['plan_pro'] }));
    const found = await store.getCompany({ nope: 'x', DOMAIN: 'ACME.TEST' });
    expect(found?.parsed.id).toBe('comp_1');
    const pro = flag([rule({ conditions: [{ id: 'c', account_id: 'a', environment_id: 'e', condition_type: 'plan', operator: 'eq', resource_ids: ['plan_pro'], trait_value: '' }] })]);
    expect(evaluateFlag(pro, found?.parsed).value).toBe(true);
    expect(await store.getCompany({ domain: 'other.test' })).toBeNull();
  });

  it('removes key maps an entity no longer has when it is written again', async () => {
    await store.putCompany(company({ id: 'comp_1', keys: { domain: 'old.test' } }));
    await store.putCompany(company({ id: 'comp_1', keys: { domain: 'new.test' } }));
    expect(await store.getCompany({ domain: 'old.test' })).toBeNull();
    expect((await store.getCompany({ domain: 'new.test' }))?.wire.id).toBe('comp_1');
    expect(await redis.client.exists(`${redis.prefix}company:${version}:domain:old.test`)).toBe(0);
  });

  it('reads entities Schematic’s Node SDK wrote in camelCase', async () => {
    const camel = { id: 'comp_2', accountId: 'a', environmentId: 'e', keys: { domain: 'globex.test' }, planIds: ['plan_pro'], traits: [] };
    await redis.client.set(`${redis.prefix}company:${version}:comp_2`, JSON.stringify(camel));
    await redis.client.set(`${redis.prefix}company:${version}:domain:globex.test`, '"comp_2"');
    expect((await store.getCompany({ domain: 'globex.test' }))?.parsed.planIds).toEqual(['plan_pro']);
  });

  it('sets TTLs: entities and key maps 24 h, flags at least 30 days', async () => {
    await store.putCompany(company({ id: 'comp_1', keys: { domain: 'acme.test' } }));
    await store.putFlag(flag([], { key: 'Reports' }));
    expect(await redis.client.ttl(`${redis.prefix}company:${version}:comp_1`)).toBeGreaterThan(86_000);
    expect(await redis.client.ttl(`${redis.prefix}company:${version}:domain:acme.test`)).toBeLessThanOrEqual(86_400);
    expect(await redis.client.ttl(`${redis.prefix}flags:${version}:reports`)).toBeGreaterThan(29 * 86_400);
  });

  it('stores flags by lowercased key, lists them, and deletes those missing from a full set', async () => {
    await store.putFlag(flag([], { key: 'Alpha', id: 'f1' }));
    await store.putFlag(flag([], { key: 'beta', id: 'f2' }));
    expect((await store.getFlag('alpha'))?.id).toBe('f1');
    expect((await store.allFlags()).map((f) => f.key).sort()).toEqual(['Alpha', 'beta']);
    await store.deleteFlagsExcept(['beta']);
    expect((await store.allFlags()).map((f) => f.key)).toEqual(['beta']);
  });

  it('keys everything by version: a new version sees none of the old entries', async () => {
    await store.putCompany(company({ id: 'comp_1', keys: { domain: 'acme.test' } }));
    version = 'abcd1234';
    expect(await store.getCompany({ domain: 'acme.test' })).toBeNull();
  });

  it('deletes an entity with its key maps', async () => {
    await store.putUser({ id: 'user_1', account_id: 'a', environment_id: 'e', keys: { email: 'ada@acme.test' } });
    await store.deleteUser('user_1');
    expect(await store.getUser({ email: 'ada@acme.test' })).toBeNull();
    expect(await redis.client.exists(`${redis.prefix}user:${version}:email:ada@acme.test`)).toBe(0);
  });
});
