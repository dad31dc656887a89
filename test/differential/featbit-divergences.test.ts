import { FbClientBuilder } from '@featbit/node-server-sdk';
import { describe, expect, it } from 'vitest';
import { dispatchBucket, evaluateFeatBitFlag, type FeatBitCondition, type FeatBitFlag, type FeatBitSegment, type FeatBitUser } from '../../src/evaluators/featbit';
import { featBitFlag, featBitRuleFlag } from '../support/featbit-builders';
import { evaluateWithSdk } from '../support/featbit-oracle';

/**
 * One test per divergence (listed in test/support/featbit-divergences.ts): what FeatBit's Node SDK does,
 * what flagwire does, and why. flagwire follows FeatBit's spec (and its .NET SDK) where the SDKs differ.
 * Where the Node SDK already follows the spec (only Python differs), the test shows the two agree.
 */
const flag = featBitFlag;

/** A flag with one rule (all users in it get `on`) over the given conditions. */
function ruleFlag(conditions: FeatBitCondition[], overrides: Partial<FeatBitFlag> = {}): FeatBitFlag {
  return featBitRuleFlag(conditions, overrides, 'Beta');
}

function both(featBitFlag: FeatBitFlag, user: FeatBitUser, segments: FeatBitSegment[] = []) {
  return { sdk: evaluateWithSdk({ flag: featBitFlag, user, segments }), flagwire: evaluateFeatBitFlag(featBitFlag, user, segments) };
}

const segment = (overrides: Partial<FeatBitSegment> = {}): FeatBitSegment => ({ id: 'seg-1', name: 'Beta testers', included: ['ada'], excluded: [], rules: [], ...overrides });

describe('FeatBit divergences: Node SDK 1.3.0 and flagwire', () => {
  it('missing attribute: every ordinary condition is false (Node answers true for negatives and throws for string operators)', () => {
    const notEqual = both(ruleFlag([{ property: 'country', op: 'NotEqual', value: 'FR' }]), { key: 'ada' });
    expect(notEqual.sdk).toMatchObject({ kind: 'RuleMatch', value: 'true' });
    expect(notEqual.flagwire).toMatchObject({ kind: 'fallthrough', value: 'false' });
    const contains = both(ruleFlag([{ property: 'country', op: 'Contains', value: 'F' }]), { key: 'ada' });
    expect(contains.sdk.threw).toMatch(/TypeError/);
    expect(contains.flagwire).toMatchObject({ kind: 'fallthrough', value: 'false' });
    // A present empty value is compared normally.
    expect(evaluateFeatBitFlag(ruleFlag([{ property: 'country', op: 'NotEqual', value: 'FR' }]), { key: 'ada', customizedProperties: [{ name: 'country', value: '' }] }).kind).toBe('rule_match');
  });

  it('regex operands: the condition value is the pattern (Node builds the pattern from the user value); a bad pattern is an error', () => {
    const prefix = both(ruleFlag([{ property: 'plan', op: 'MatchRegex', value: '^pro' }]), { key: 'ada', customizedProperties: [{ name: 'plan', value: 'pro-trial' }] });
    expect(prefix.sdk).toMatchObject({ kind: 'FallThrough' });
    expect(prefix.flagwire).toMatchObject({ kind: 'rule_match', value: 'true' });
    const invalid = both(ruleFlag([{ property: 'plan', op: 'NotMatchRegex', value: '(' }]), { key: 'ada', customizedProperties: [{ name: 'plan', value: 'pro' }] });
    expect(invalid.sdk).toMatchObject({ kind: 'RuleMatch' });
    expect(invalid.flagwire).toMatchObject({ kind: 'error', value: null });
    expect(invalid.flagwire.err).toMatch(/regular expression "\(" is invalid/);
  });

  it('interval ends: both closed with both shortcuts, as in Node (Python uses [start, end) and only the [0, 1] shortcut)', () => {
    const edge = dispatchBucket('checkout-v2user-123');
    const split = flag({ fallthrough: { dispatchKey: null, includedInExpt: false, variations: [{ id: 'on', rollout: [0, edge], exptRollout: 0 }, { id: 'off', rollout: [edge, 1], exptRollout: 0 }] } });
    const onEdge = both(split, { key: 'user-123' });
    expect(onEdge.sdk.variationId).toBe('on');
    expect(onEdge.flagwire.variationId).toBe('on');
    const nearOne = flag({ fallthrough: { dispatchKey: null, includedInExpt: false, variations: [{ id: 'on', rollout: [0, 0.99999], exptRollout: 0 }, { id: 'off', rollout: [0.99999, 1], exptRollout: 0 }] } });
    const top = both(nearOne, { key: 'user-4029' });
    expect([top.sdk.variationId, top.flagwire.variationId]).toEqual(['on', 'on']);
  });

  it('dispatch attribute missing: flagwire hashes flag key + "" (Node hashes flag key + "undefined")', () => {
    const ours = dispatchBucket('checkout-v2');
    const nodes = dispatchBucket('checkout-v2undefined');
    const cut = (ours + nodes) / 2;
    const byCompany = flag({
      fallthrough: { dispatchKey: 'company', includedInExpt: false, variations: [{ id: 'on', rollout: [0, cut], exptRollout: 0 }, { id: 'off', rollout: [cut, 1], exptRollout: 0 }] },
    });
    const { sdk, flagwire } = both(byCompany, { key: 'ada' });
    expect(flagwire.variationId).toBe(ours < cut ? 'on' : 'off');
    expect(sdk.variationId).toBe(nodes < cut ? 'on' : 'off');
    expect(sdk.variationId).not.toBe(flagwire.variationId);
  });

  it('whitespace dispatchKey: the user key, as in Node (Python looks up the blank name and hashes "")', () => {
    const edge = dispatchBucket('checkout-v2user-123');
    const blank = flag({ fallthrough: { dispatchKey: ' ', includedInExpt: false, variations: [{ id: 'on', rollout: [0, edge], exptRollout: 0 }, { id: 'off', rollout: [edge, 1], exptRollout: 0 }] } });
    const { sdk, flagwire } = both(blank, { key: 'user-123' });
    expect([sdk.variationId, flagwire.variationId]).toEqual(['on', 'on']);
  });

  it('numbers: the whole string must be a finite decimal (Node parseFloat reads "30abc" as 30 and "0x10" as 0)', () => {
    for (const [value, sdkKind] of [['30abc', 'RuleMatch'], ['0x10', 'RuleMatch'], ['30 0', 'RuleMatch']] as const) {
      const op = value === '0x10' ? 'LessThan' : 'BiggerThan';
      const { sdk, flagwire } = both(ruleFlag([{ property: 'age', op, value: '18' }]), { key: 'ada', customizedProperties: [{ name: 'age', value }] });
      expect(sdk.kind, value).toBe(sdkKind);
      expect(flagwire.kind, value).toBe('fallthrough');
    }
    // White space around a number is not part of it, to both (and to Python and .NET).
    for (const value of [' 30', '30 ', '\t30\n']) {
      const { sdk, flagwire } = both(ruleFlag([{ property: 'age', op: 'BiggerThan', value: ' 18 ' }]), { key: 'ada', customizedProperties: [{ name: 'age', value }] });
      expect([sdk.kind, flagwire.kind], JSON.stringify(value)).toEqual(['RuleMatch', 'rule_match']);
    }
    // Exponents and signs are numbers to both; no rounding (Python rounds both sides to 5 decimals).
    expect(evaluateFeatBitFlag(ruleFlag([{ property: 'age', op: 'BiggerThan', value: '1e1' }]), { key: 'ada', customizedProperties: [{ name: 'age', value: '+10.000001' }] }).kind).toBe('rule_match');
  });

  it('archived flag: evaluates as absent, an error (Node evaluates it as live)', () => {
    const { sdk, flagwire } = both(flag({ isArchived: true }), { key: 'ada' });
    expect(sdk).toMatchObject({ kind: 'FallThrough', value: 'false' });
    expect(flagwire).toMatchObject({ kind: 'error', reason: 'flag not found', value: null });
  });

  it('archived segment: a condition naming it is an error (Node uses it as live)', () => {
    const { sdk, flagwire } = both(ruleFlag([{ property: 'User is in segment', op: null, value: '["seg-1"]' }]), { key: 'ada' }, [segment({ isArchived: true })]);
    expect(sdk).toMatchObject({ kind: 'RuleMatch', value: 'true' });
    expect(flagwire).toMatchObject({ kind: 'error' });
    expect(flagwire.err).toMatch(/segment "seg-1" is archived/);
  });

  it('missing segment id: an error for the flag, not a silent "not in segment" (Node skips it)', () => {
    const { sdk, flagwire } = both(ruleFlag([{ property: 'User is not in segment', op: null, value: '["seg-gone"]' }]), { key: 'ada' });
    expect(sdk).toMatchObject({ kind: 'RuleMatch', value: 'true' });
    expect(flagwire).toMatchObject({ kind: 'error' });
    expect(flagwire.err).toMatch(/segment "seg-gone" was not given/);
    // A segment reached after the user matched an earlier one is never looked up.
    expect(evaluateFeatBitFlag(ruleFlag([{ property: 'User is in segment', op: null, value: '["seg-1","seg-gone"]' }]), { key: 'ada' }, [segment()]).kind).toBe('rule_match');
  });

  it("rule sendToExperiment: the matching rule's includedInExpt (Node reads the fallthrough's)", () => {
    const experiment = flag({
      rules: [{ id: 'r', name: 'Beta', dispatchKey: null, includedInExpt: true, conditions: [], variations: [{ id: 'on', rollout: [0, 1], exptRollout: 1 }] }],
      fallthrough: { dispatchKey: null, includedInExpt: false, variations: [{ id: 'off', rollout: [0, 1], exptRollout: 0 }] },
    });
    const { sdk, flagwire } = both(experiment, { key: 'ada' });
    expect(sdk).toMatchObject({ kind: 'RuleMatch', sendToExperiment: false });
    expect(flagwire).toMatchObject({ kind: 'rule_match', sendToExperiment: true });
  });

  it('property aliases: only keyId and name are built in, as in Node (Python also reads key, KeyId, NAME…)', () => {
    const byKey = ruleFlag([{ property: 'key', op: 'Equal', value: 'ada' }]);
    const { sdk, flagwire } = both(byKey, { key: 'ada' });
    expect([sdk.kind, flagwire.kind]).toEqual(['FallThrough', 'fallthrough']);
    const byKeyId = both(ruleFlag([{ property: 'keyId', op: 'Equal', value: 'ada' }]), { key: 'ada' });
    expect([byKeyId.sdk.kind, byKeyId.flagwire.kind]).toEqual(['RuleMatch', 'rule_match']);
  });

  it('user without name: evaluated with name "" (Node leaves it missing; Python refuses the user)', () => {
    const { sdk, flagwire } = both(ruleFlag([{ property: 'name', op: 'Equal', value: '' }]), { key: 'ada' });
    expect(sdk.kind).toBe('FallThrough');
    expect(flagwire.kind).toBe('rule_match');
  });

  it('rule matched but its rollout holds no bucket: an error, later rules untried, as in Node (Python falls through)', () => {
    const gap = flag({
      rules: [
        { id: 'r1', name: 'Gap', dispatchKey: null, includedInExpt: false, conditions: [], variations: [{ id: 'on', rollout: [0, 0], exptRollout: 0 }] },
        { id: 'r2', name: 'Next', dispatchKey: null, includedInExpt: false, conditions: [], variations: [{ id: 'on', rollout: [0, 1], exptRollout: 0 }] },
      ],
    });
    const { sdk, flagwire } = both(gap, { key: 'ada' });
    expect(sdk).toMatchObject({ kind: 'Error', reason: 'malformed flag' });
    expect(flagwire).toMatchObject({ kind: 'error', reason: 'malformed flag' });
  });

  it('bad IsOneOf list JSON: an error for the flag (Node makes both operators false)', () => {
    const { sdk, flagwire } = both(ruleFlag([{ property: 'plan', op: 'NotOneOf', value: 'pro, free' }]), { key: 'ada', customizedProperties: [{ name: 'plan', value: 'team' }] });
    expect(sdk.kind).toBe('FallThrough');
    expect(flagwire).toMatchObject({ kind: 'error' });
    expect(flagwire.err).toMatch(/is not JSON/);
  });

  it('unknown flag: an error (Node reports FlagNotFound)', async () => {
    const client = new FbClientBuilder().offline(true).useJsonBootstrapProvider(JSON.stringify({ data: { featureFlags: [], segments: [] } })).logLevel('none').build();
    expect((await client.stringVariationDetail('nope', { key: 'ada' }, 'fallback')).kind).toBe('FlagNotFound');
    expect(evaluateFeatBitFlag(undefined, { key: 'ada' })).toMatchObject({ kind: 'error', reason: 'flag not found', value: null });
  });

  it('errors in bulk evaluation: each flag fails alone (one bad flag makes Node fail them all)', async () => {
    const good = flag({ key: 'good' });
    const bad = flag({ key: 'bad', targetUsers: [{ keyIds: ['ada'], variationId: 'gone' }] });
    const bootstrap = JSON.stringify({ data: { featureFlags: [good, bad], segments: [] } });
    const client = new FbClientBuilder().offline(true).useJsonBootstrapProvider(bootstrap).logLevel('none').build();
    expect(() => client.getAllVariations({ key: 'ada' })).toThrow(TypeError);
    const ours = [good, bad].map((f) => evaluateFeatBitFlag(f, { key: 'ada' }));
    expect(ours.map((r) => r.kind)).toEqual(['fallthrough', 'error']);
  });
});
