import { readFileSync } from 'node:fs';
import { type Random } from './random';
import {
  BOOL_VALUES,
  composedNumber,
  DATE_VALUES,
  type GeneratedCase,
  INT_VALUES,
  type JsonObject,
  NOW_VALUES,
  PERIODS,
  RESETS,
  STRING_VALUES,
} from './wire-generator';

/**
 * Cases built on Schematic's own flags (test/fixtures/schematic-flags.json): companies and users made from
 * the ids, plans, traits and events those flags reference, so most rules are in play for most checks.
 */
export const fixtureFlags = JSON.parse(readFileSync(new URL('../fixtures/schematic-flags.json', import.meta.url), 'utf8')) as JsonObject[];

export interface Pools {
  companyIds: string[];
  userIds: string[];
  planIds: string[];
  traitDefinitions: JsonObject[];
  events: string[];
}

export function collectPools(flags: readonly JsonObject[] = fixtureFlags): Pools {
  const pools: Pools = { companyIds: ['comp_other'], userIds: ['user_other'], planIds: ['plan_other'], traitDefinitions: [], events: ['other_event'] };
  const seenDefinitions = new Set<string>();
  for (const flag of flags) {
    for (const rule of (flag.rules as JsonObject[] | null) ?? []) {
      const groups = ((rule.condition_groups as JsonObject[] | null) ?? []).flatMap((g) => (g.conditions as JsonObject[] | null) ?? []);
      for (const condition of [...((rule.conditions as JsonObject[] | null) ?? []), ...groups]) {
        const ids = (condition.resource_ids as string[] | null) ?? [];
        if (condition.condition_type === 'company') pools.companyIds.push(...ids);
        if (condition.condition_type === 'user') pools.userIds.push(...ids);
        if (condition.condition_type === 'plan') pools.planIds.push(...ids);
        if (typeof condition.event_subtype === 'string') pools.events.push(condition.event_subtype);
        for (const definition of [condition.trait_definition, condition.comparison_trait_definition] as (JsonObject | null)[]) {
          if (definition && !seenDefinitions.has(definition.id as string)) {
            seenDefinitions.add(definition.id as string);
            pools.traitDefinitions.push(definition);
          }
        }
      }
    }
  }
  return pools;
}

function traitValue(r: Random, definition: JsonObject): string {
  switch (definition.comparable_type) {
    case 'int':
      return r.chance(0.5) ? String(r.int(0, 120)) : r.chance(0.5) ? composedNumber(r) : r.pick(INT_VALUES);
    case 'bool':
      return r.pick(BOOL_VALUES);
    case 'date':
      return r.pick(DATE_VALUES);
    default:
      return r.pick(STRING_VALUES);
  }
}

function traitsFor(r: Random, pools: Pools, entityType: string): JsonObject[] {
  return r
    .subset(pools.traitDefinitions.filter((d) => d.entity_type === entityType), 0.6)
    .map((definition) => ({ trait_definition: definition, value: traitValue(r, definition) }));
}

/** One check against a fixture flag: a company and user drawn from the pools, sometimes preflight usage. */
export function makeCase(r: Random, pools: Pools, flag: JsonObject): GeneratedCase {
  const companyId = r.pick(pools.companyIds);
  const company: JsonObject = {
    id: companyId,
    account_id: flag.account_id as string,
    environment_id: flag.environment_id as string,
    keys: { id: companyId },
    traits: traitsFor(r, pools, 'company'),
    base_plan_id: r.chance(0.5) ? r.pick(pools.planIds) : null,
    plan_ids: r.subset(pools.planIds, 0.15),
    metrics: r.subset(pools.events, 0.5).map((event) => ({
      account_id: flag.account_id as string,
      environment_id: flag.environment_id as string,
      company_id: companyId,
      event_subtype: event,
      period: r.chance(0.6) ? 'all_time' : r.pick(PERIODS),
      month_reset: r.chance(0.7) ? 'first_of_month' : r.pick(RESETS),
      value: r.int(0, 150),
      created_at: '2026-01-01T00:00:00Z',
    })),
    entitlements: r.chance(0.5)
      ? [{ feature_id: 'feat_1', feature_key: flag.key as string, value_type: r.pick(['boolean', 'numeric', 'unlimited']), allocation: 10, usage: 4 }]
      : [],
    subscription: r.chance(0.5) ? { id: 'sub', period_start: '2025-03-31T08:00:00Z', period_end: '2027-03-31T08:00:00Z' } : null,
  };
  const userId = r.pick(pools.userIds);
  const user: JsonObject = {
    id: userId,
    account_id: flag.account_id as string,
    environment_id: flag.environment_id as string,
    keys: { id: userId },
    traits: traitsFor(r, pools, 'user'),
  };
  return {
    flag,
    company: r.chance(0.9) ? company : null,
    user: r.chance(0.6) ? user : null,
    options: r.chance(0.2) ? { usage: r.int(0, 20) } : undefined,
    nowMs: r.pick(NOW_VALUES),
  };
}

