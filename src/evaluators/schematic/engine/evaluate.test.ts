import { describe, expect, it } from 'vitest';
import { company, condition, flag, rule, user } from '../../../../test/support/builders';
import { evaluateFlag } from '../evaluate-flag';

/** How rules are chosen: ordering by type and priority, overrides, groups, and the subject's own rules. */
describe('rule evaluation', () => {
  it('returns the default value with no rules, and names the flag', () => {
    const result = evaluateFlag(flag([], { default_value: true }));
    expect(result).toMatchObject({ value: true, reason: 'No rules matched; default value for flag', flagId: 'flag_1', flagKey: 'reports' });
    expect(result.ruleId).toBeNull();
  });

  it('reports a match as "Matched <type with spaces> rule "<name>" (<id>)"', () => {
    const result = evaluateFlag(flag([rule({ id: 'r_beta', name: 'Beta', rule_type: 'plan_entitlement' })]), company());
    expect(result).toMatchObject({ value: true, ruleId: 'r_beta', ruleType: 'plan_entitlement' });
    expect(result.reason).toBe('Matched plan entitlement rule "Beta" (r_beta)');
  });

  it('tries rule types in a fixed order: global override before company override before standard', () => {
    const rules = [
      rule({ rule_type: 'standard', value: true, name: 'standard' }),
      rule({ rule_type: 'company_override', value: false, name: 'override' }),
      rule({ rule_type: 'global_override', value: true, name: 'global' }),
    ];
    expect(evaluateFlag(flag(rules), company()).reason).toContain('"global"');
    expect(evaluateFlag(flag(rules.slice(0, 2)), company()).reason).toContain('"override"');
  });

  it('orders standard rules by ascending priority, keeping input order on ties', () => {
    const rules = [
      rule({ priority: 5, name: 'five' }),
      rule({ priority: 1, name: 'one (first)' }),
      rule({ priority: 1, name: 'one (second)' }),
    ];
    expect(evaluateFlag(flag(rules), company()).reason).toContain('"one (first)"');
  });

  it('tries granting entitlement and override rules before denying ones, ignoring priority', () => {
    const rules = [
      rule({ rule_type: 'plan_entitlement', value: false, priority: 0, name: 'deny' }),
      rule({ rule_type: 'plan_entitlement', value: true, priority: 9, name: 'grant' }),
    ];
    expect(evaluateFlag(flag(rules), company())).toMatchObject({ value: true, reason: expect.stringContaining('"grant"') });
  });

  it('applies global overrides and default rules whatever their conditions say', () => {
    const impossible = condition({ condition_type: 'company', resource_ids: ['someone_else'] });
    expect(evaluateFlag(flag([rule({ rule_type: 'global_override', conditions: [impossible] })]), company()).value).toBe(true);
    expect(evaluateFlag(flag([rule({ rule_type: 'default', conditions: [impossible] })]), company()).value).toBe(true);
    expect(evaluateFlag(flag([rule({ rule_type: 'standard', conditions: [impossible] })]), company()).value).toBe(false);
  });

  it('needs every condition (AND) and at least one condition of each group (OR)', () => {
    const isAcme = condition({ condition_type: 'company', resource_ids: ['comp_1'] });
    const isOther = condition({ condition_type: 'company', resource_ids: ['comp_2'] });
    const check = (r: ReturnType<typeof rule>) => evaluateFlag(flag([r]), company()).value;
    expect(check(rule({ conditions: [isAcme, isOther] }))).toBe(false);
    expect(check(rule({ condition_groups: [{ conditions: [isOther, isAcme] }] }))).toBe(true);
    expect(check(rule({ condition_groups: [{ conditions: [isOther] }] }))).toBe(false);
  });

  it('never matches a rule with an empty condition group', () => {
    expect(evaluateFlag(flag([rule({ condition_groups: [{ conditions: [] }] })]), company()).value).toBe(false);
  });

  it('matches a rule with no conditions at all', () => {
    expect(evaluateFlag(flag([rule()]), company()).value).toBe(true);
  });

  it("adds the company's and user's own rules for this flag, and ignores their rules for other flags", () => {
    const own = rule({ flag_id: 'flag_1', rule_type: 'company_override', name: 'own' });
    const foreign = rule({ flag_id: 'flag_2', rule_type: 'global_override', name: 'foreign' });
    const unbound = rule({ flag_id: null, rule_type: 'global_override', name: 'unbound' });
    expect(evaluateFlag(flag(), company({ rules: [foreign, unbound, own] })).reason).toContain('"own"');
    expect(evaluateFlag(flag(), null, user({ rules: [own] })).reason).toContain('"own"');
  });

  it('sets companyId and userId from the entities given', () => {
    expect(evaluateFlag(flag(), company(), user())).toMatchObject({ companyId: 'comp_1', userId: 'user_1' });
    expect(evaluateFlag(flag())).toMatchObject({ companyId: null, userId: null });
  });

  it('attaches the company entitlement for the flag key even when no rule matches', () => {
    const entitlement = { feature_id: 'feat_1', feature_key: 'reports', value_type: 'numeric' as const, allocation: 10, usage: null };
    const result = evaluateFlag(flag(), company({ entitlements: [entitlement] }));
    expect(result.entitlement).toEqual({ featureId: 'feat_1', featureKey: 'reports', valueType: 'numeric', allocation: 10 });
  });

  it('reports negative preflight usage on err and evaluates nothing', () => {
    const result = evaluateFlag(flag([rule({ rule_type: 'global_override' })]), company(), null, { usage: -1 });
    expect(result).toMatchObject({ value: false, err: 'preflight usage cannot be negative', ruleId: null, entitlement: null });
    expect(evaluateFlag(flag(), company(), null, { credit_cost: { cr: -2 } }).err).toBe('preflight credit cost cannot be negative');
  });
});
