import type { WireCompany, WireCondition, WireFlag, WireRule, WireTraitDefinition, WireUser } from '../../src/engine';

/** Terse builders for readable engine tests: every required wire field filled, overrides on top. */
const scope = { account_id: 'acct_1', environment_id: 'env_1' };

export function flag(rules: WireRule[] = [], overrides: Partial<WireFlag> = {}): WireFlag {
  return { id: 'flag_1', key: 'reports', default_value: false, rules, ...scope, ...overrides };
}

let ruleCounter = 0;
export function rule(overrides: Partial<WireRule> = {}): WireRule {
  ruleCounter++;
  return {
    id: `rule_${ruleCounter}`,
    rule_type: 'standard',
    name: `Rule ${ruleCounter}`,
    priority: 0,
    conditions: [],
    condition_groups: [],
    value: true,
    ...scope,
    ...overrides,
  };
}

export function condition(overrides: Partial<WireCondition>): WireCondition {
  return { id: 'cond_1', condition_type: 'company', operator: 'eq', resource_ids: [], trait_value: '', ...scope, ...overrides };
}

export function traitDefinition(
  id: string,
  comparable_type: WireTraitDefinition['comparable_type'],
  entity_type: WireTraitDefinition['entity_type'] = 'company',
): WireTraitDefinition {
  return { id, comparable_type, entity_type };
}

export function traitCondition(definition: WireTraitDefinition, operator: string, traitValue: string): WireCondition {
  return condition({ condition_type: 'trait', trait_definition: definition, operator, trait_value: traitValue });
}

export function company(overrides: Partial<WireCompany> = {}): WireCompany {
  return { id: 'comp_1', keys: { domain: 'acme.test' }, traits: [], plan_ids: [], ...scope, ...overrides };
}

export function user(overrides: Partial<WireUser> = {}): WireUser {
  return { id: 'user_1', keys: { email: 'ada@acme.test' }, traits: [], ...scope, ...overrides };
}

export function metric(event_subtype: string, value: number, period: 'all_time' | 'current_day' | 'current_week' | 'current_month' = 'all_time') {
  return {
    event_subtype,
    value,
    period,
    month_reset: 'first_of_month' as const,
    company_id: 'comp_1',
    created_at: '2026-01-01T00:00:00Z',
    ...scope,
  };
}
