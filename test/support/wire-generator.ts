import type { Random } from './random';

/**
 * Random DataStream wire entities for differential tests. Small shared pools of ids, trait definitions and
 * values make conditions hit and miss often; value pools carry every coercion edge the engines disagree on
 * most easily (padding, signs, exponents, case, date variants, non-BMP strings).
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface GeneratedCase {
  flag: JsonObject;
  company: JsonObject | null | undefined;
  user: JsonObject | null | undefined;
  options: JsonObject | undefined;
  nowMs: number;
}

const ACCOUNT = 'acct_1';
const ENV = 'env_1';
const COMPANY_IDS = ['comp_a', 'comp_b', 'comp_c'];
const USER_IDS = ['user_a', 'user_b'];
const PLAN_IDS = ['plan_1', 'plan_2', 'plan_3'];
const PLAN_VERSION_IDS = ['pv_1', 'pv_2'];
const PRODUCT_IDS = ['bp_1', 'bp_2'];
const EVENTS = ['api_call', 'seat', 'export'];
const CREDITS = ['cred_1', 'cred_2'];
const FLAG_IDS = ['flag_x', 'flag_y'];
const COMPARABLE_TYPES = ['bool', 'date', 'int', 'string'];
const ENTITY_TYPES = ['company', 'user'];
const RULE_TYPES = [
  'global_override',
  'company_override',
  'plan_entitlement',
  'company_override_usage_exceeded',
  'plan_entitlement_usage_exceeded',
  'standard',
  'default',
];
const CONDITION_TYPES = ['company', 'user', 'plan', 'plan_version', 'base_plan', 'billing_product', 'credit', 'metric', 'trait'];
const OPERATORS = ['eq', 'ne', 'gt', 'lt', 'gte', 'lte', 'is_empty', 'not_empty'];
export const PERIODS = ['all_time', 'current_day', 'current_week', 'current_month'];
export const RESETS = ['first_of_month', 'billing_cycle'];
const VALUE_TYPES = ['boolean', 'credit', 'numeric', 'trait', 'unknown', 'unlimited'];

export const INT_VALUES = ['', '0', '1', '2', '5', '10', '-3', '1.5', '2.5', '-0.5', '1e3', '1E2', '+5', ' 5', '5 ', 'abc', 'inf', '-inf',
  'Infinity', 'NaN', 'nan', '.5', '5.', '007', '-0', '1e400', '9007199254740993', '0x10', '1_000', '١'];
export const BOOL_VALUES = ['true', 'false', '1', '0', 'TRUE', 'True', '', 'yes', ' true'];
export const DATE_VALUES = ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00.5Z', '2024-06-15T12:30:00+02:00', '2024-06-15T10:30:00Z',
  '2024-01-01T00:00:00+0000', '2024-01-01T02:00:00+0200', '2024-01-01 10:00:00 UTC', '2024-01-01 00:00:00', '2024-01-01', '',
  'Mon Jan 01 2024', '1704067200', '2023-12-31T23:59:59.999999999Z', '2024-01-01t00:00:00z', '2024-01-01T00:00:00.123+0200',
  '2024-12-31T23:59:60Z', '2024-02-29T00:00:00Z', '2023-02-29T00:00:00Z', '2024-01-01T00:00:00+24:00', '2024-1-1T0:0:0+0000',
  ' 2024-01-01 00:00:00', '2024-01-01 02:00:00.123+02:00', '+2024-01-01 00:00:00 X', '2024-01-01T00:00:00.5+0000',
  '2026-11-23T19:00:00Z', '2030-01-01T00:00:00-05:00', 'Sun, 01 Jan 2024 00:00:00 GMT'];
export const STRING_VALUES = ['pro', 'Pro', 'PRO', '', 'a', 'b', 'é', 'e\u0301', '😀', '\uffff', 'z', '10', '9', 'pro ', 'enterprise'];
const ALL_VALUES = [...INT_VALUES, ...BOOL_VALUES, ...DATE_VALUES, ...STRING_VALUES];

/** Fixed "now" values: an ordinary day, a Sunday, a month end, a leap day, a year end. */
export const NOW_VALUES = [
  Date.UTC(2026, 10, 23, 19, 12, 5, 250),
  Date.UTC(2026, 10, 22, 8, 0, 0),
  Date.UTC(2026, 0, 31, 23, 59, 59),
  Date.UTC(2024, 1, 29, 12, 0, 0),
  Date.UTC(2025, 11, 31, 23, 0, 0),
];
const SUBSCRIPTION_DATES = ['2024-01-31T10:30:00Z', '2026-11-05T00:00:00Z', '2026-11-30T23:00:00Z', '2027-01-15T00:00:00Z',
  '2026-10-23T19:12:05Z', '2024-02-29T12:00:00+02:00', '2026-12-10T00:00:00Z', 'not a date', '2025-08-31T06:00:00.5Z',
  '2026-11-23 20:00:00 UTC'];

/** A date-like string assembled from parts, each part sometimes malformed, to probe the date grammar. */
export function composedDate(r: Random): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const year = r.pick([pad(r.int(1990, 2030), 4), String(r.int(1, 999)), `+${r.int(2020, 2026)}`, `-${r.int(1, 2024)}`, '12024', '02024']);
  const month = r.pick([pad(r.int(1, 12), 2), String(r.int(1, 9)), '13', '00']);
  const day = r.pick([pad(r.int(1, 28), 2), '29', '30', '31', String(r.int(1, 9)), '32', '00']);
  const hour = r.pick([pad(r.int(0, 23), 2), String(r.int(0, 9)), '24']);
  const minute = r.pick([pad(r.int(0, 59), 2), '60', String(r.int(0, 9))]);
  const second = r.pick([pad(r.int(0, 59), 2), '60', '61', String(r.int(0, 9))]);
  const fraction = r.pick(['', '', '.', `.${r.int(0, 9)}`, `.${pad(r.int(0, 999), 3)}`, `.${pad(r.int(0, 999999), 6)}`, `.${pad(r.int(0, 999999999), 9)}`, '.1234567891']);
  const offsetHours = pad(r.pick([0, 1, 2, 5, 12, 23, 24, 25, 99]), 2);
  const offsetMinutes = pad(r.pick([0, 30, 45, 59, 60]), 2);
  const sign = r.pick(['+', '-']);
  const zone = r.pick(['Z', 'z', '', `${sign}${offsetHours}:${offsetMinutes}`, `${sign}${offsetHours}${offsetMinutes}`, `${sign}${offsetHours}`,
    ` ${sign}${offsetHours}:${offsetMinutes}`, `${sign}${offsetHours} ${offsetMinutes}`, ' UTC', ' EST', 'UTC', ' Z', ' +02:00 x']);
  const separator = r.pick(['T', 'T', 't', ' ', '  ', '\t', 'T ', ' T']);
  const lead = r.pick(['', '', '', ' ']);
  const trail = r.pick(['', '', '', ' ']);
  return `${lead}${year}-${month}-${day}${separator}${hour}:${minute}:${second}${fraction}${zone}${trail}`;
}

/** A number-like string assembled from parts, to probe the float grammar integer traits are read with. */
export function composedNumber(r: Random): string {
  const sign = r.pick(['', '', '+', '-']);
  const whole = r.pick(['', '0', '1', '12', '007', String(r.int(0, 100000))]);
  const fraction = r.pick(['', '', '.', '.5', '.25', '.0']);
  const exponent = r.pick(['', '', '', 'e3', 'E-2', 'e+1', 'e', 'e400']);
  const text = `${sign}${whole}${fraction}${exponent}`;
  return r.chance(0.05) ? ` ${text}` : text;
}

export class WireGenerator {
  private readonly traitDefinitions: JsonObject[];

  constructor(private readonly random: Random) {
    // Definitions share ids across types on purpose: the entity's own definition decides the comparison.
    this.traitDefinitions = ['td_1', 'td_2', 'td_3', 'td_4', 'td_5'].map((id) => ({
      id,
      comparable_type: random.pick(COMPARABLE_TYPES),
      entity_type: random.pick(ENTITY_TYPES),
    }));
  }

  case(flagKey = 'feature_x'): GeneratedCase {
    const r = this.random;
    const flag = this.flag(flagKey);
    return {
      flag,
      company: r.chance(0.85) ? this.company(flag) : r.pick([null, undefined]),
      user: r.chance(0.6) ? this.user(flag) : r.pick([null, undefined]),
      options: r.chance(0.35) ? this.options() : undefined,
      nowMs: r.pick(NOW_VALUES),
    };
  }

  flag(key: string): JsonObject {
    const r = this.random;
    return {
      id: r.pick(FLAG_IDS),
      account_id: ACCOUNT,
      environment_id: ENV,
      key,
      default_value: r.chance(0.5),
      rules: r.chance(0.05) ? null : r.times(0, 5, () => (r.chance(0.3) ? this.entitlementRule() : this.rule(null))),
    };
  }

  private traitDefinition(): JsonObject {
    const r = this.random;
    const base = r.pick(this.traitDefinitions);
    // Now and then the condition's copy of a definition disagrees with the entity's on the type.
    return r.chance(0.15) ? { ...base, comparable_type: r.pick(COMPARABLE_TYPES) } : { ...base };
  }

  private traitValueFor(definition: JsonObject | null): string {
    const r = this.random;
    if (definition === null || r.chance(0.2)) return r.pick(ALL_VALUES);
    switch (definition.comparable_type) {
      case 'int':
        return r.chance(0.3) ? composedNumber(r) : r.pick(INT_VALUES);
      case 'bool':
        return r.pick(BOOL_VALUES);
      case 'date':
        return r.chance(0.5) ? composedDate(r) : r.pick(DATE_VALUES);
      default:
        return r.pick(STRING_VALUES);
    }
  }

  condition(): JsonObject {
    const r = this.random;
    const conditionType = r.chance(0.03) ? 'unknown_type' : r.pick(CONDITION_TYPES);
    const pools: Record<string, string[]> = {
      company: COMPANY_IDS,
      user: USER_IDS,
      plan: PLAN_IDS,
      base_plan: PLAN_IDS,
      plan_version: PLAN_VERSION_IDS,
      billing_product: PRODUCT_IDS,
    };
    const traitDefinition = conditionType === 'trait' || r.chance(0.1) ? (r.chance(0.92) ? this.traitDefinition() : null) : null;
    return {
      id: `cond_${r.int(1, 999)}`,
      account_id: ACCOUNT,
      environment_id: ENV,
      condition_type: conditionType,
      operator: r.chance(0.03) ? r.pick(['zz', 'EQ', 'in']) : r.pick(OPERATORS),
      resource_ids: r.chance(0.1) ? null : r.subset(pools[conditionType] ?? [...COMPANY_IDS, ...PLAN_IDS], 0.45),
      trait_value: this.traitValueFor(traitDefinition),
      trait_definition: traitDefinition,
      comparison_trait_definition: r.chance(0.15) ? this.traitDefinition() : null,
      event_subtype: conditionType === 'metric' || conditionType === 'credit' ? (r.chance(0.9) ? r.pick(EVENTS) : null) : null,
      metric_value: r.chance(0.15) ? null : r.pick([0, 1, 2, 3, 5, 10, -1, 100]),
      metric_period: r.chance(0.3) ? null : r.pick(PERIODS),
      metric_period_month_reset: r.chance(0.4) ? null : r.pick(RESETS),
      credit_id: conditionType === 'credit' ? (r.chance(0.92) ? r.pick(CREDITS) : null) : null,
      consumption_rate: r.chance(0.4) ? null : r.pick([1, 2, 0.5, 0, 3, -1]),
    };
  }

  rule(subjectFlagId: string | null): JsonObject {
    const r = this.random;
    const ruleType = r.pick(RULE_TYPES);
    return {
      id: `rule_${r.int(1, 99)}`,
      flag_id: subjectFlagId ?? (r.chance(0.5) ? null : r.pick(FLAG_IDS)),
      account_id: ACCOUNT,
      environment_id: ENV,
      rule_type: ruleType,
      name: r.pick(['Beta', 'Pro plan', 'Override', 'Usage cap', 'Ünïcode "quoted"']),
      priority: r.pick([0, 0, 1, 2, 5, -1, 10]),
      conditions: r.chance(0.08) ? null : r.times(0, 3, () => this.condition()),
      condition_groups: r.chance(0.5) ? null : r.times(0, 2, () => ({ conditions: r.times(0, 3, () => this.condition()) })),
      value: r.chance(0.5),
    };
  }

  /** A rule shaped like the plan entitlements Schematic generates: a plan, then a usage limit. */
  entitlementRule(): JsonObject {
    const r = this.random;
    const rule = this.rule(null);
    const plan = { ...this.condition(), condition_type: 'plan', operator: 'eq', resource_ids: r.subset(PLAN_IDS, 0.7) };
    const limit = this.condition();
    const isMetric = r.chance(0.7);
    Object.assign(limit, {
      condition_type: isMetric ? 'metric' : 'trait',
      operator: r.pick(['lt', 'lte', 'gt', 'gte']),
      event_subtype: r.pick(EVENTS),
      metric_value: r.pick([1, 3, 5, 10, 100]),
      metric_period: r.pick([...PERIODS, null]),
      trait_definition: isMetric ? null : this.traitDefinition(),
    });
    return {
      ...rule,
      rule_type: r.pick(RULE_TYPES.slice(1, 5)),
      conditions: r.chance(0.5) ? [plan, limit] : [limit, plan],
      condition_groups: null,
    };
  }

  private traits(entityType: string): JsonObject[] {
    const r = this.random;
    return r.times(0, 5, () => {
      const candidates = this.traitDefinitions.filter((d) => d.entity_type === entityType || r.chance(0.1));
      const definition = r.chance(0.1) || candidates.length === 0 ? null : { ...r.pick(candidates) };
      return { trait_definition: definition, value: this.traitValueFor(definition) };
    });
  }

  company(flag: JsonObject): JsonObject {
    const r = this.random;
    const id = r.pick(COMPANY_IDS);
    return {
      id,
      account_id: ACCOUNT,
      environment_id: ENV,
      keys: { id: `${id}_key`, ...(r.chance(0.3) ? { domain: 'example.com' } : {}) },
      traits: this.traits('company'),
      base_plan_id: r.chance(0.3) ? null : r.pick(PLAN_IDS),
      plan_ids: r.subset(PLAN_IDS),
      plan_version_ids: r.subset(PLAN_VERSION_IDS),
      billing_product_ids: r.subset(PRODUCT_IDS),
      metrics: r.times(0, 4, () => ({
        account_id: ACCOUNT,
        environment_id: ENV,
        company_id: id,
        event_subtype: r.pick(EVENTS),
        period: r.pick(PERIODS),
        month_reset: r.pick(RESETS),
        value: r.pick([0, 1, 2, 3, 5, 10, 50, -2]),
        created_at: '2026-01-01T00:00:00Z',
        valid_until: r.chance(0.5) ? null : '2027-01-01T00:00:00Z',
      })),
      credit_balances: r.chance(0.3) ? null : Object.fromEntries(r.subset(CREDITS, 0.6).map((c) => [c, r.pick([0, 0.5, 1, 2, 5, 10, -1])])),
      credit_postpaid: r.chance(0.7)
        ? null
        : Object.fromEntries(
            r.subset(CREDITS, 0.6).map((c): [string, Json] => [c, r.pick<Json>([null, {}, { overdraft_limit: null }, { overdraft_limit: r.pick([0, 1, 5, 2.5]) }])]),
          ),
      subscription: r.chance(0.5)
        ? null
        : { id: 'sub_1', period_start: r.pick(SUBSCRIPTION_DATES), period_end: r.pick(SUBSCRIPTION_DATES) },
      entitlements: r.times(0, 3, () => this.entitlement(r.chance(0.6) ? (flag.key as string) : 'other_feature')),
      rules: r.chance(0.3) ? r.times(1, 3, () => this.rule(r.chance(0.7) ? (flag.id as string) : r.pick(FLAG_IDS))) : [],
    };
  }

  entitlement(featureKey: string): JsonObject {
    const r = this.random;
    const maybe = <T extends Json>(value: T): T | null => (r.chance(0.5) ? value : null);
    return {
      feature_id: `feat_${r.int(1, 9)}`,
      feature_key: featureKey,
      value_type: r.pick(VALUE_TYPES),
      allocation: maybe(r.pick([0, 5, 100])),
      usage: maybe(r.pick([0, 3, 200])),
      soft_limit: maybe(80),
      event_name: maybe(r.pick(EVENTS)),
      event_subtype: maybe(r.pick(EVENTS)),
      metric_period: maybe(r.pick(PERIODS)),
      month_reset: maybe(r.pick(RESETS)),
      metric_reset_at: maybe(r.pick(['2026-12-01T00:00:00Z', '2026-12-01T00:00:00.000+00:00', 'soon'])),
      credit_id: maybe(r.pick(CREDITS)),
      consumption_rate: maybe(r.pick([1, 0.5])),
      credit_total: maybe(100.5),
      credit_used: maybe(3),
      credit_remaining: maybe(97.5),
      credit_reserved: maybe(0),
      credit_settled: maybe(1),
      warning_tiers: r.chance(0.3) ? null : r.times(0, 2, (i) => ({ key: `tier_${i}`, value: r.pick([50, 80]) })),
    };
  }

  user(flag: JsonObject): JsonObject {
    const r = this.random;
    const id = r.pick(USER_IDS);
    return {
      id,
      account_id: ACCOUNT,
      environment_id: ENV,
      keys: { email: `${id}@example.com` },
      traits: this.traits('user'),
      rules: r.chance(0.25) ? r.times(1, 2, () => this.rule(r.chance(0.7) ? (flag.id as string) : r.pick(FLAG_IDS))) : [],
    };
  }

  options(): JsonObject {
    const r = this.random;
    const options: JsonObject = {};
    if (r.chance(0.6)) options.usage = r.pick([null, 0, 1, 2, 5, 20, -1]);
    if (r.chance(0.4)) options.event_usage = { event_subtype: r.pick(EVENTS), quantity: r.pick([0, 1, 3, 10, -2]) };
    if (r.chance(0.3)) options.credit_cost = Object.fromEntries(r.subset(CREDITS, 0.6).map((c) => [c, r.pick([0, 1, 2.5, 10, -1])]));
    return options;
  }
}
