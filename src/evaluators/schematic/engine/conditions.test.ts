import { describe, expect, it } from 'vitest';
import { company, condition, flag, metric, rule, traitCondition, traitDefinition, user } from '../../../../test/support/builders';
import type { WireCompany, WireCondition, WireUser } from '.';
import { evaluateFlag, type EvaluateFlagOptions } from '../evaluate-flag';

function holds(c: WireCondition, subject: { company?: WireCompany | null; user?: WireUser | null } = {}, options?: EvaluateFlagOptions) {
  return evaluateFlag(flag([rule({ conditions: [c] })]), subject.company ?? null, subject.user ?? null, options).value;
}

describe('id and plan conditions', () => {
  it('company and user conditions test the id against the resource ids', () => {
    expect(holds(condition({ condition_type: 'company', resource_ids: ['comp_1'] }), { company: company() })).toBe(true);
    expect(holds(condition({ condition_type: 'user', resource_ids: ['user_1'] }), { user: user() })).toBe(true);
    expect(holds(condition({ condition_type: 'user', resource_ids: ['user_2'] }), { user: user() })).toBe(false);
  });

  it('plan, plan version and billing product conditions hold when any id overlaps', () => {
    const acme = company({ plan_ids: ['plan_pro', 'plan_addon'], plan_version_ids: ['pv_3'], billing_product_ids: ['bp_1'] });
    expect(holds(condition({ condition_type: 'plan', resource_ids: ['plan_addon'] }), { company: acme })).toBe(true);
    expect(holds(condition({ condition_type: 'plan_version', resource_ids: ['pv_3'] }), { company: acme })).toBe(true);
    expect(holds(condition({ condition_type: 'billing_product', resource_ids: ['bp_9'] }), { company: acme })).toBe(false);
  });

  it('only "ne" negates an id condition; every other operator means "is one of"', () => {
    const acme = company({ plan_ids: ['plan_pro'] });
    expect(holds(condition({ condition_type: 'plan', operator: 'ne', resource_ids: ['plan_pro'] }), { company: acme })).toBe(false);
    expect(holds(condition({ condition_type: 'plan', operator: 'gt', resource_ids: ['plan_pro'] }), { company: acme })).toBe(true);
  });

  it('a condition needing a company or user that is missing does not hold', () => {
    expect(holds(condition({ condition_type: 'company', operator: 'ne', resource_ids: ['comp_1'] }))).toBe(false);
    expect(holds(condition({ condition_type: 'plan', operator: 'ne', resource_ids: [] }))).toBe(false);
  });

  it('base plan conditions: eq/ne on the base plan, is_empty/not_empty on whether there is one', () => {
    const withBase = company({ base_plan_id: 'plan_pro' });
    const withoutBase = company({ base_plan_id: null });
    const basePlan = (operator: string) => condition({ condition_type: 'base_plan', operator, resource_ids: ['plan_pro'] });
    expect(holds(basePlan('eq'), { company: withBase })).toBe(true);
    expect(holds(basePlan('ne'), { company: withoutBase })).toBe(true);
    expect(holds(basePlan('is_empty'), { company: withoutBase })).toBe(true);
    expect(holds(basePlan('not_empty'), { company: withBase })).toBe(true);
    expect(holds(basePlan('gt'), { company: withBase })).toBe(false);
  });

  it('an unknown condition type never holds', () => {
    expect(holds(condition({ condition_type: 'weather', operator: 'ne' }), { company: company() })).toBe(false);
  });
});

describe('metric conditions', () => {
  const apiCalls = (operator: string, metric_value: number | null, extra: Partial<WireCondition> = {}) =>
    condition({ condition_type: 'metric', event_subtype: 'api_call', operator, metric_value, ...extra });

  it("compare the company's matching metric with the condition's value", () => {
    const acme = company({ metrics: [metric('api_call', 7)] });
    expect(holds(apiCalls('lt', 10), { company: acme })).toBe(true);
    expect(holds(apiCalls('gte', 10), { company: acme })).toBe(false);
  });

  it('match metrics on event, period (default all_time) and month reset (default first_of_month); a missing one counts 0', () => {
    const acme = company({ metrics: [metric('api_call', 7, 'current_month')] });
    expect(holds(apiCalls('eq', 0), { company: acme })).toBe(true);
    expect(holds(apiCalls('eq', 7, { metric_period: 'current_month' }), { company: acme })).toBe(true);
  });

  it('read is_empty as zero usage and not_empty as some usage', () => {
    expect(holds(apiCalls('is_empty', 5), { company: company() })).toBe(true);
    expect(holds(apiCalls('not_empty', 5), { company: company({ metrics: [metric('api_call', 1)] }) })).toBe(true);
  });

  it('add preflight event usage for the same event, else preflight usage', () => {
    const acme = company({ metrics: [metric('api_call', 9)] });
    expect(holds(apiCalls('lt', 10), { company: acme }, { event_usage: { event_subtype: 'api_call', quantity: 1 } })).toBe(false);
    expect(holds(apiCalls('lt', 10), { company: acme }, { event_usage: { event_subtype: 'export', quantity: 1 } })).toBe(true);
    expect(holds(apiCalls('lt', 10), { company: acme }, { usage: 1 })).toBe(false);
  });

  it('compare against a company trait when one is named: its integer value, or 0 when it has none', () => {
    const seats = traitDefinition('trait_seats', 'int');
    const limit = apiCalls('lt', 3, { comparison_trait_definition: seats });
    const acme = (value: string) => company({ metrics: [metric('api_call', 4)], traits: [{ trait_definition: seats, value }] });
    expect(holds(limit, { company: acme('5') })).toBe(true);
    expect(holds(limit, { company: acme('lots') })).toBe(false);
  });

  it('cannot be decided without a value of their own, which fails the rule even inside a satisfied group', () => {
    const undecidable = apiCalls('gte', null);
    const isAcme = condition({ condition_type: 'company', resource_ids: ['comp_1'] });
    const grouped = (conditions: WireCondition[]) =>
      evaluateFlag(flag([rule({ condition_groups: [{ conditions }] })]), company()).value;
    expect(grouped([undecidable, isAcme])).toBe(false);
    expect(grouped([isAcme, undecidable])).toBe(true);
  });
});

describe('credit conditions', () => {
  const credit = (operator: string, extra: Partial<WireCondition> = {}) =>
    condition({ condition_type: 'credit', credit_id: 'cr_ai', operator, ...extra });

  it('hold while the balance covers the cost (the consumption rate, default 1)', () => {
    expect(holds(credit('eq'), { company: company({ credit_balances: { cr_ai: 1 } }) })).toBe(true);
    expect(holds(credit('eq', { consumption_rate: 2 }), { company: company({ credit_balances: { cr_ai: 1 } }) })).toBe(false);
  });

  it('with gt or gte, hold when the balance falls short (the "usage exceeded" form)', () => {
    expect(holds(credit('gte'), { company: company({ credit_balances: { cr_ai: 0.5 } }) })).toBe(true);
    expect(holds(credit('gt'), { company: company({ credit_balances: { cr_ai: 5 } }) })).toBe(false);
  });

  it('take the cost from preflight credit_cost, else event usage or usage times the rate', () => {
    const acme = company({ credit_balances: { cr_ai: 10 } });
    expect(holds(credit('eq'), { company: acme }, { credit_cost: { cr_ai: 11 } })).toBe(false);
    expect(holds(credit('eq', { consumption_rate: 2 }), { company: acme }, { usage: 6 })).toBe(false);
    expect(holds(credit('eq', { consumption_rate: 2, event_subtype: 'gen' }), { company: acme }, { event_usage: { event_subtype: 'gen', quantity: 5 } })).toBe(true);
  });

  it('let postpaid credits overdraw up to their overdraft limit, or without limit when none is set', () => {
    const postpaid = (terms: { overdraft_limit?: number | null }) => company({ credit_balances: { cr_ai: 1 }, credit_postpaid: { cr_ai: terms } });
    expect(holds(credit('eq'), { company: postpaid({ overdraft_limit: 4 }) }, { credit_cost: { cr_ai: 5 } })).toBe(true);
    expect(holds(credit('eq'), { company: postpaid({ overdraft_limit: 3 }) }, { credit_cost: { cr_ai: 5 } })).toBe(false);
    expect(holds(credit('eq'), { company: postpaid({}) }, { credit_cost: { cr_ai: 500 } })).toBe(true);
  });
});

describe('trait conditions', () => {
  const plan = traitDefinition('trait_plan', 'string');

  it("compare the entity's trait with the condition's value", () => {
    const acme = company({ traits: [{ trait_definition: plan, value: 'pro' }] });
    expect(holds(traitCondition(plan, 'eq', 'pro'), { company: acme })).toBe(true);
    expect(holds(traitCondition(plan, 'ne', 'pro'), { company: acme })).toBe(false);
  });

  it('read the trait from the entity the definition names', () => {
    const role = traitDefinition('trait_role', 'string', 'user');
    expect(holds(traitCondition(role, 'eq', 'admin'), { company: company(), user: user({ traits: [{ trait_definition: role, value: 'admin' }] }) })).toBe(true);
  });

  it('treat a missing trait as empty', () => {
    expect(holds(traitCondition(plan, 'is_empty', ''), { company: company() })).toBe(true);
  });

  it('compare against another trait of the same entity when a comparison trait is named', () => {
    const used = traitDefinition('trait_used', 'int');
    const seats = traitDefinition('trait_seats', 'int');
    const c = { ...traitCondition(used, 'lt', ''), comparison_trait_definition: seats };
    const acme = company({ traits: [{ trait_definition: used, value: '3' }, { trait_definition: seats, value: '5' }] });
    expect(holds(c, { company: acme })).toBe(true);
  });

  it("use the type of the entity's own trait definition, not the condition's copy", () => {
    const asString = traitDefinition('trait_seats', 'string');
    const asInt = traitDefinition('trait_seats', 'int');
    const acme = company({ traits: [{ trait_definition: asInt, value: '10' }] });
    expect(holds(traitCondition(asString, 'gt', '9'), { company: acme })).toBe(true);
  });

  it('add preflight usage to int traits', () => {
    const seats = traitDefinition('trait_seats', 'int');
    const acme = company({ traits: [{ trait_definition: seats, value: '9' }] });
    expect(holds(traitCondition(seats, 'lte', '10'), { company: acme }, { usage: 2 })).toBe(false);
  });
});
