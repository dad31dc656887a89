import { describe, expect, it } from 'vitest';
import { company, flag, rule } from '../../../../test/support/builders';
import { InvalidEntityError } from '../../../core/errors';
import { evaluateFlag, INVALID_ENTITY_REASON } from '../evaluate-flag';
import { parseCheckOptions } from './parse-options';
import { parseFlag } from './parse-flag';
import { parseCompany } from './parse-subjects';

/** Which inputs are rejected: exactly those Schematic's engine rejects. */
describe('parsing wire entities', () => {
  it('accepts camelCase field names as well as snake_case', () => {
    const camel = { id: 'flag_1', accountId: 'a', environmentId: 'e', key: 'reports', defaultValue: true, rules: null };
    expect(evaluateFlag(camel as never).value).toBe(true);
  });

  it('rejects a field given in both spellings', () => {
    expect(() => parseFlag({ ...flag(), accountId: 'a' })).toThrow(/given twice, as "account_id" and as "accountId"/);
  });

  it('reads camelCase preflight option names as unknown fields, as Schematic does', () => {
    expect(parseCheckOptions({ creditCost: { cr: -1 } }).problem).toBeNull();
  });

  it('rejects a missing required field, naming where it is', () => {
    const broken = flag([rule({ conditions: [{ id: 'c', condition_type: 'plan', operator: 'eq' } as never] })]);
    expect(() => parseFlag(broken)).toThrow(InvalidEntityError);
    expect(() => parseFlag(broken)).toThrow('invalid flag at rules[0].conditions[0].account_id: missing required field');
  });

  it('rejects wrong types, fractional integers and unknown enum values', () => {
    expect(() => parseFlag(flag([rule({ priority: 1.5 })]))).toThrow(/priority: expected an integer/);
    expect(() => parseFlag(flag([rule({ rule_type: 'custom' as never })]))).toThrow(/rule_type: expected one of/);
    expect(() => parseCompany(company({ keys: { seats: 5 as never } }))).toThrow(/keys\.seats: expected a string/);
  });

  it('accepts unknown condition types and operators (they never match) and ignores unknown fields', () => {
    expect(() => parseFlag({ ...flag([rule({ conditions: [{ ...rule(), condition_type: 'x', operator: 'y', trait_value: '' } as never] })]), extra: 1 })).not.toThrow();
  });

  it('reads undefined as absent, Dates as ISO strings and non-finite numbers as null, as JSON would', () => {
    const metricAt = { ...company(), metrics: [{ account_id: 'a', environment_id: 'e', company_id: 'c', event_subtype: 'x', period: 'all_time', month_reset: 'first_of_month', value: 1, created_at: new Date(0), valid_until: undefined }] };
    expect(() => parseCompany(metricAt)).not.toThrow();
    expect(() => parseCompany({ ...company(), base_plan_id: undefined, plan_ids: undefined })).not.toThrow();
  });

  it('never throws from evaluateFlag: bad input gives the default value with err set', () => {
    const result = evaluateFlag(flag([], { default_value: true }), { id: 42 } as never);
    expect(result).toMatchObject({ value: true, reason: INVALID_ENTITY_REASON, flagKey: 'reports' });
    expect(result.err).toMatch(/^\[flagwire\] invalid company at id/);
    expect(evaluateFlag('nonsense' as never)).toMatchObject({ value: false, reason: INVALID_ENTITY_REASON });
  });

  it('skips parsing for entities already parsed', () => {
    const parsed = parseFlag(flag([rule()]));
    expect(evaluateFlag(parsed, parseCompany(company())).value).toBe(true);
  });
});
