import { describe, expect, it } from 'vitest';
import type { WireCompany, WireUser } from '../../evaluators/schematic/engine';
import { mergeCompany, mergeUser } from './merge';

const scope = { account_id: 'a', environment_id: 'e' };
const metric = (event_subtype: string, value: number, period = 'all_time', month_reset = 'first_of_month') => ({
  ...scope,
  company_id: 'c1',
  event_subtype,
  period,
  month_reset,
  value,
  created_at: '2026-01-01T00:00:00Z',
});

const cached: WireCompany = {
  ...scope,
  id: 'c1',
  keys: { domain: 'acme.test' },
  plan_ids: ['plan_free'],
  traits: [{ trait_definition: { id: 't1', comparable_type: 'string', entity_type: 'company' }, value: 'eu' }],
  metrics: [metric('exports', 3), metric('exports', 1, 'current_month')],
  credit_balances: { cr_ai: 10, cr_sms: 5 },
  entitlements: [
    { feature_id: 'f1', feature_key: 'exports', value_type: 'numeric', event_name: 'exports', usage: 3, allocation: 10 },
    { feature_id: 'f2', feature_key: 'ai', value_type: 'credit', credit_id: 'cr_ai', credit_remaining: 10 },
  ],
} as WireCompany;

describe('DataStream partial merges, as Schematic’s SDKs merge them', () => {
  it('merges keys and credit balances as maps', () => {
    const merged = mergeCompany(cached, { id: 'c1', keys: { crm: 'X1' }, credit_balances: { cr_ai: 7 } });
    expect(merged.keys).toEqual({ domain: 'acme.test', crm: 'X1' });
    expect(merged.credit_balances).toEqual({ cr_ai: 7, cr_sms: 5 });
  });

  it('replaces plan ids, traits, entitlements, rules and subscription wholesale', () => {
    const merged = mergeCompany(cached, { plan_ids: ['plan_pro'], traits: [] });
    expect(merged.plan_ids).toEqual(['plan_pro']);
    expect(merged.traits).toEqual([]);
    expect(merged.metrics).toEqual(cached.metrics);
  });

  it('upserts metrics by event, period and month reset', () => {
    const merged = mergeCompany(cached, { metrics: [metric('exports', 4), metric('exports', 2, 'current_day')] });
    expect(merged.metrics?.map((m) => [m.period, m.value])).toEqual([
      ['all_time', 4],
      ['current_month', 1],
      ['current_day', 2],
    ]);
  });

  it('re-derives entitlement usage and remaining credits when metrics or balances change', () => {
    const merged = mergeCompany(cached, { metrics: [metric('exports', 9)], credit_balances: { cr_ai: 2 } });
    expect(merged.entitlements?.map((e) => [e.feature_key, e.usage ?? null, e.credit_remaining ?? null])).toEqual([
      ['exports', 9, null],
      ['ai', null, 2],
    ]);
  });

  it('leaves entitlements as sent when the partial carries them', () => {
    const entitlements = [{ feature_id: 'f9', feature_key: 'new', value_type: 'boolean' }];
    expect(mergeCompany(cached, { metrics: [metric('exports', 9)], entitlements }).entitlements).toEqual(entitlements);
  });

  it('writes lease balances’ remaining credits into the balances', () => {
    expect(mergeCompany(cached, { credit_lease_balance: { cr_sms: { remaining: 1, reserved: 4 } } }).credit_balances).toEqual({ cr_ai: 10, cr_sms: 1 });
  });

  it('ignores unknown fields and never changes the cached copy', () => {
    const before = structuredClone(cached);
    const merged = mergeCompany(cached, { favourite_colour: 'blue', keys: { x: 'y' } });
    expect(merged).not.toHaveProperty('favourite_colour');
    expect(cached).toEqual(before);
  });

  it('reads a camelCase cached copy (as Schematic’s Node SDK stores it) and writes snake_case', () => {
    const camel = { id: 'c1', accountId: 'a', environmentId: 'e', keys: { domain: 'acme.test' }, planIds: ['p1'], creditBalances: { cr_ai: 1 } };
    const merged = mergeCompany(camel as unknown as WireCompany, { credit_balances: { cr_ai: 3 } }) as unknown as Record<string, unknown>;
    expect(merged).toMatchObject({ account_id: 'a', plan_ids: ['p1'], credit_balances: { cr_ai: 3 } });
    expect(merged).not.toHaveProperty('planIds');
  });

  it('merges only identity, keys, traits and rules into a user', () => {
    const user: WireUser = { ...scope, id: 'u1', keys: { email: 'ada@acme.test' }, traits: [] };
    const merged = mergeUser(user, { keys: { slack: 'U1' }, traits: [{ value: 'x' }], plan_ids: ['nope'] });
    expect(merged).toEqual({ ...scope, id: 'u1', keys: { email: 'ada@acme.test', slack: 'U1' }, traits: [{ value: 'x' }] });
  });
});

describe('partial merges never let `__proto__` become a prototype', () => {
  /** Raw JSON text, so `__proto__` is an own property as it is in a frame read off the wire. */
  const wire = (text: string) => JSON.parse(text) as Record<string, unknown>;

  it('keeps a `__proto__` name in keys, balances and lease balances as data, not a prototype', () => {
    const merged = mergeCompany(
      cached,
      wire('{"keys":{"__proto__":{"polluted":"x"}},"credit_balances":{"__proto__":{"polluted":"y"}},"credit_lease_balance":{"__proto__":{"remaining":{"polluted":"z"}}}}'),
    ) as unknown as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    for (const map of [merged.keys, merged.credit_balances]) {
      expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
      expect(map?.polluted).toBeUndefined();
    }
    expect(merged.keys).toMatchObject({ domain: 'acme.test' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps a cached copy’s own `__proto__` field as data when copying it', () => {
    const poisoned = wire('{"id":"c1","account_id":"a","environment_id":"e","keys":{"domain":"acme.test"},"__proto__":{"polluted":"x","plan_ids":["plan_pro"]}}');
    for (const merged of [mergeCompany(poisoned as unknown as WireCompany, {}), mergeUser(poisoned as unknown as WireUser, {})]) {
      expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
      expect((merged as unknown as Record<string, unknown>).polluted).toBeUndefined();
      expect((merged as unknown as Record<string, unknown>).plan_ids).toBeUndefined();
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never reads a credit balance from Object.prototype', () => {
    const company = { ...cached, entitlements: [{ feature_id: 'f3', feature_key: 'odd', value_type: 'credit', credit_id: 'constructor', credit_remaining: 4 }] } as WireCompany;
    const merged = mergeCompany(company, { credit_balances: { cr_ai: 1 } });
    expect(merged.entitlements?.[0]?.credit_remaining).toBe(4);
  });
});
