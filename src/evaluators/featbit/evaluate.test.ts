import { describe, expect, it } from 'vitest';
import { InvalidEntityError } from '../../core/errors';
import { evaluateParsedFeatBitFlag } from './evaluate';
import { evaluateFeatBitFlag } from './evaluate-featbit-flag';
import { compileOperator, parseFeatBitNumber } from './operators';
import { parseFeatBitFlag } from './parse-flag';
import { parseFeatBitSegments } from './parse-segment';
import { parseFeatBitUser } from './parse-user';
import { featBitRuleFlag } from '../../../test/support/featbit-builders';
import type { FeatBitCondition, FeatBitFlag, FeatBitSegment } from './wire-types';

const holds = (op: string, userValue: string, conditionValue: string) => compileOperator(op, conditionValue).test(userValue);

function ruleFlag(conditions: FeatBitCondition[], overrides: Partial<FeatBitFlag> = {}): FeatBitFlag {
  return featBitRuleFlag(conditions, { key: 'k', updatedAt: undefined, ...overrides });
}

describe('FeatBit operators', () => {
  it.each([
    ['LessThan', '9', '10', true],
    ['LessThan', '10', '10', false],
    ['LessEqualThan', '10', '1e1', true],
    ['BiggerThan', '-0.5', '-1', true],
    ['BiggerEqualThan', '.5', '0.5', true],
    ['BiggerThan', '30abc', '18', false],
    ['BiggerThan', 'Infinity', '18', false],
    ['LessThan', '5', 'abc', false],
    ['Equal', 'Pro', 'pro', false],
    ['NotEqual', 'Pro', 'pro', true],
    ['Contains', 'pro-trial', 'trial', true],
    ['NotContain', 'pro-trial', 'trial', false],
    ['StartsWith', 'pro-trial', 'pro', true],
    ['EndsWith', 'pro-trial', 'pro', false],
    ['MatchRegex', 'ada@example.org', 'example\\.org$', true],
    ['NotMatchRegex', 'ada@example.org', '^b', true],
    ['IsOneOf', 'pro', '["free","pro"]', true],
    ['IsOneOf', 'pro', '[]', false],
    ['NotOneOf', 'pro', '[]', true],
    ['IsTrue', 'TrUe', '', true],
    ['IsTrue', 'yes', '', false],
    ['IsFalse', 'FALSE', 'ignored', true],
    ['IsTrue', 'ṫrue', '', false],
    ['Unknown', 'x', 'x', false],
  ])('%s(%j, %j) is %s', (op, userValue, conditionValue, expected) => {
    expect(holds(op, userValue, conditionValue)).toBe(expected);
  });

  it('reads numbers as whole finite decimals only', () => {
    expect(['1', '-2.5', '+3', '.5', '5.', '1E3'].map(parseFeatBitNumber)).toEqual([1, -2.5, 3, 0.5, 5, 1000]);
    for (const text of ['', ' ', '1 0', '0x10', '1_000', 'Infinity', 'NaN', '1e400', '1e', '--1', '- 1']) expect(parseFeatBitNumber(text), text).toBeNaN();
  });

  it('reads a number with white space around it as that number, as FeatBit\'s Node, Python and .NET SDKs do', () => {
    expect([' 30', '30 ', '\t30\n', '\u00a0-2.5 '].map(parseFeatBitNumber)).toEqual([30, 30, 30, -2.5]);
    expect(holds('BiggerThan', ' 30', '18')).toBe(true);
    expect(holds('LessEqualThan', '18', ' 18 ')).toBe(true);
  });

  it('keeps a bad list or regular expression as a problem, not a negative answer', () => {
    expect(compileOperator('NotOneOf', '[1]').problem).toMatch(/not a JSON array of strings/);
    expect(compileOperator('NotMatchRegex', '[').problem).toMatch(/invalid/);
    expect(compileOperator('Equal', '[').problem).toBeNull();
  });
});

describe('evaluateFeatBitFlag', () => {
  const user = { key: 'ada', name: 'Ada', customizedProperties: [{ name: 'plan', value: 'pro' }] };

  it('goes disabled → targets → rules in order → fallthrough', () => {
    const flag = ruleFlag([{ property: 'plan', op: 'Equal', value: 'pro' }], { targetUsers: [{ keyIds: ['bob'], variationId: 'off' }] });
    expect(evaluateFeatBitFlag({ ...flag, isEnabled: false }, user)).toMatchObject({ kind: 'off', value: 'false', reason: 'flag off' });
    expect(evaluateFeatBitFlag(flag, { key: 'bob', customizedProperties: [{ name: 'plan', value: 'pro' }] })).toMatchObject({ kind: 'target_match', variationId: 'off' });
    expect(evaluateFeatBitFlag(flag, user)).toMatchObject({ kind: 'rule_match', value: 'true', reason: 'match rule Rule', ruleId: 'r' });
    expect(evaluateFeatBitFlag(flag, { key: 'cy' })).toMatchObject({ kind: 'fallthrough', value: 'false', reason: 'fall through targets and rules' });
  });

  it('gives a key listed by two targets the first one', () => {
    const flag = ruleFlag([], { targetUsers: [{ keyIds: ['ada'], variationId: 'off' }, { keyIds: ['ada'], variationId: 'on' }] });
    expect(evaluateFeatBitFlag(flag, user).variationId).toBe('off');
  });

  it('checks segments: excluded, then included, then segment rules', () => {
    const segments: FeatBitSegment[] = [
      { id: 's1', name: 'S1', included: ['ada', 'bob'], excluded: ['ada'], rules: [] },
      { id: 's2', name: 'S2', included: [], excluded: [], rules: [{ conditions: [{ property: 'plan', op: 'Equal', value: 'pro' }] }] },
    ];
    const inS1 = ruleFlag([{ property: 'User is in segment', op: null, value: '["s1"]' }]);
    expect(evaluateFeatBitFlag(inS1, user, segments).kind).toBe('fallthrough');
    expect(evaluateFeatBitFlag(inS1, { key: 'bob' }, segments).kind).toBe('rule_match');
    const inEither = ruleFlag([{ property: 'User is in segment', op: null, value: '["s1","s2"]' }]);
    expect(evaluateFeatBitFlag(inEither, user, segments).kind).toBe('rule_match');
    const notIn = ruleFlag([{ property: 'User is not in segment', op: null, value: '["s2"]' }]);
    expect(evaluateFeatBitFlag(notIn, user, segments).kind).toBe('fallthrough');
    expect(evaluateFeatBitFlag(ruleFlag([{ property: 'User is not in segment', op: null, value: '[]' }]), user).kind).toBe('rule_match');
  });

  it('reports a dangling variation, a missing fallthrough and a bad user as errors, never throwing', () => {
    expect(evaluateFeatBitFlag(ruleFlag([], { isEnabled: false, disabledVariationId: 'gone' }), user)).toMatchObject({ kind: 'error', reason: 'malformed flag', value: null });
    const { fallthrough: _, ...noFallthrough } = ruleFlag([{ property: 'plan', op: 'Equal', value: 'free' }]);
    expect(evaluateFeatBitFlag(noFallthrough as FeatBitFlag, user).err).toMatch(/has no fallthrough/);
    expect(evaluateFeatBitFlag(ruleFlag([]), { key: '  ' })).toMatchObject({ kind: 'error', reason: 'user not valid' });
    expect(evaluateFeatBitFlag(ruleFlag([]), null)).toMatchObject({ kind: 'error', reason: 'user not valid' });
    expect(evaluateFeatBitFlag({ key: 'k', rules: 'x' } as never, user)).toMatchObject({ kind: 'error', flagKey: 'k' });
  });

  it('evaluates parsed forms to the very results prepared at parse time', () => {
    const flag = parseFeatBitFlag(ruleFlag([{ property: 'plan', op: 'Equal', value: 'pro' }]));
    const parsedUser = parseFeatBitUser(user);
    const first = evaluateParsedFeatBitFlag(flag, parsedUser, parseFeatBitSegments([]));
    expect(evaluateParsedFeatBitFlag(flag, parsedUser)).toBe(first);
    expect(evaluateFeatBitFlag(flag, parsedUser)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });
});

describe('FeatBit parsing', () => {
  it('names the entity and path of a wrong field', () => {
    expect(() => parseFeatBitFlag(ruleFlag([{ property: 'plan', op: 'Equal', value: 3 as never }]))).toThrow(InvalidEntityError);
    expect(() => parseFeatBitFlag(ruleFlag([{ property: 'plan', op: 'Equal', value: 3 as never }]))).toThrow(
      '[flagwire] invalid featbit flag at rules[0].conditions[0].value: expected a string, got the number 3',
    );
    expect(() => parseFeatBitFlag({ ...ruleFlag([]), fallthrough: { variations: [{ id: 'on', rollout: [0] }] } })).toThrow('fallthrough.variations[0].rollout: expected [start, end]');
    expect(() => parseFeatBitSegments([{ id: 's', included: 'ada' }])).toThrow('invalid featbit segment at included');
  });

  it('takes keyId for key, refuses the two disagreeing, and reads the first property of a name', () => {
    expect(parseFeatBitUser({ keyId: 'ada' }).key).toBe('ada');
    expect(() => parseFeatBitUser({ key: 'ada', keyId: 'bob' })).toThrow('given twice');
    const parsed = parseFeatBitUser({ key: 'ada', customizedProperties: [{ name: 'plan', value: 'pro' }, { name: 'plan', value: 'free' }] });
    expect(parsed.properties.get('plan')).toBe('pro');
    expect(parsed.name).toBe('');
    expect(() => parseFeatBitUser({ key: 'ada', customizedProperties: [{ name: 'age', value: 30 }] })).toThrow('customizedProperties[0].value');
  });
});
