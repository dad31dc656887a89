import { describe, expect, it } from 'vitest';
import { featBitFlag } from '../../../../test/support/featbit-builders';
import { dispatchBucket, rolloutShare } from '../../featbit/dispatch';
import { evaluateFeatBitFlag } from '../../featbit/index';
import { md5Prefix } from '../../featbit/md5';
import { resolveVariant } from './resolve';
import type { AttributeRef, Outcome, RolloutOutcome, VariantFlag } from './types';

const KEY = 'checkout-v2';
const USER_KEY: AttributeRef = { entity: 'user', name: 'key' };

/** A rollout over consecutive shares of [0, 1], weights in percent, as the compiler builds it. */
function rollout(weights: readonly number[], by: AttributeRef = USER_KEY): RolloutOutcome {
  let start = 0;
  const shares = weights.map((weight, variation) => {
    const end = weights.slice(0, variation + 1).reduce((a, b) => a + b, 0) / 100;
    const share = rolloutShare(start, end);
    start = end;
    return { variation, share };
  });
  return { kind: 'rollout', by, shares };
}

function variantFlag(overrides: Partial<VariantFlag> = {}): VariantFlag {
  return {
    key: KEY,
    variations: [
      { name: 'control', value: 'control' },
      { name: 'bold', value: 'bold' },
      { name: 'question', value: 'question' },
    ],
    enabled: true,
    offVariation: 2,
    defaultVariation: 0,
    outcomes: new Map<string, Outcome>([
      ['rule_1', { kind: 'fixed', variation: 1 }],
      ['rule_2', rollout([50, 50, 0], { entity: 'company', name: 'id' })],
    ]),
    fallthrough: { kind: 'fixed', variation: 0 },
    dispatchPrefix: md5Prefix(KEY),
    ...overrides,
  };
}

/** A reader over a plain context: `user.key` and other attributes by `entity.name`. */
function reader(attributes: Record<string, string>) {
  const reads: string[] = [];
  const read = (ref: AttributeRef) => {
    reads.push(`${ref.entity}.${ref.name}`);
    return attributes[`${ref.entity}.${ref.name}`];
  };
  return { read, reads };
}

const NO_RULE = { ruleId: null, ruleType: null } as const;

/** Deterministic user keys, the same on every run. */
function userKeys(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `user-${i}@example.org`);
}

describe('resolveVariant', () => {
  it('serves a matched rule its fixed variation, with no bucket', () => {
    const { read, reads } = reader({ 'user.key': 'ada' });
    expect(resolveVariant(variantFlag(), { ruleId: 'rule_1', ruleType: 'standard' }, read)).toEqual({ variation: 1, kind: 'rule_match', ruleId: 'rule_1', bucket: null });
    expect(reads).toEqual([]);
  });

  it('reports an override rule as a target match', () => {
    const result = resolveVariant(variantFlag(), { ruleId: 'rule_1', ruleType: 'company_override' }, reader({}).read);
    expect(result).toEqual({ variation: 1, kind: 'target_match', ruleId: 'rule_1', bucket: null });
  });

  it('falls through to the default, or to the flag-level rollout by user key', () => {
    expect(resolveVariant(variantFlag(), NO_RULE, reader({}).read)).toEqual({ variation: 0, kind: 'fallthrough', ruleId: null, bucket: null });
    // FeatBit's dispatch: "checkout-v2user-123" is in bucket 0.6896381163969636, just past 0.67.
    const flag = variantFlag({ fallthrough: rollout([34, 33, 33]) });
    expect(resolveVariant(flag, NO_RULE, reader({ 'user.key': 'user-123' }).read)).toEqual({ variation: 2, kind: 'fallthrough', ruleId: null, bucket: 0.6896381163969636 });
  });

  it('gives a bucket on a shared edge to the earlier share', () => {
    const edge = 0.6896381163969636;
    const flag = variantFlag({ fallthrough: { kind: 'rollout', by: USER_KEY, shares: [{ variation: 1, share: rolloutShare(0, edge) }, { variation: 2, share: rolloutShare(edge, 1) }] } });
    expect(resolveVariant(flag, NO_RULE, reader({ 'user.key': 'user-123' }).read).variation).toBe(1);
  });

  it('buckets a rule rollout by its own attribute: everyone in a company gets the same variation', () => {
    const one = reader({ 'user.key': 'ada', 'company.id': 'acme' });
    const other = reader({ 'user.key': 'grace', 'company.id': 'acme' });
    const matched = { ruleId: 'rule_2', ruleType: 'standard' } as const;
    const first = resolveVariant(variantFlag(), matched, one.read);
    expect(first.bucket).toBe(dispatchBucket(`${KEY}acme`));
    expect(first.variation).toBe((first.bucket as number) <= 0.5 ? 0 : 1);
    expect(resolveVariant(variantFlag(), matched, other.read)).toEqual(first);
    expect(one.reads).toEqual(['company.id']);
  });

  it('hashes the flag key alone when the attribute is missing', () => {
    // FeatBit's dispatch: "checkout-v2" alone is in bucket 0.8352047489024699.
    const result = resolveVariant(variantFlag({ fallthrough: rollout([34, 33, 33], { entity: 'user', name: 'country' }) }), NO_RULE, reader({ 'user.key': 'ada' }).read);
    expect(result).toEqual({ variation: 2, kind: 'fallthrough', ruleId: null, bucket: 0.8352047489024699 });
  });

  it('serves the off variation to everyone while disabled, whatever matched', () => {
    const flag = variantFlag({ enabled: false, fallthrough: rollout([34, 33, 33]) });
    for (const matched of [NO_RULE, { ruleId: 'rule_1', ruleType: 'standard' } as const]) {
      expect(resolveVariant(flag, matched, reader({ 'user.key': 'ada' }).read)).toEqual({ variation: 2, kind: 'off', ruleId: null, bucket: null });
    }
  });

  it('serves the default when an entitlement or override is over its limit', () => {
    for (const ruleType of ['plan_entitlement_usage_exceeded', 'company_override_usage_exceeded'] as const) {
      const result = resolveVariant(variantFlag({ defaultVariation: 2 }), { ruleId: 'rule_1.exceeded', ruleType }, reader({}).read);
      expect(result).toEqual({ variation: 2, kind: 'rule_match', ruleId: 'rule_1.exceeded', bucket: null });
    }
  });

  it('picks the variation FeatBit picks for the same 34/33/33 fallthrough rollout', () => {
    const flag = variantFlag({ fallthrough: rollout([34, 33, 33]) });
    const wire = featBitFlag({
      key: KEY,
      variations: flag.variations.map(({ name }) => ({ id: name, value: name })),
      fallthrough: {
        dispatchKey: null,
        includedInExpt: false,
        variations: [
          { id: 'control', rollout: [0, 0.34], exptRollout: 0 },
          { id: 'bold', rollout: [0.34, 0.67], exptRollout: 0 },
          { id: 'question', rollout: [0.67, 1], exptRollout: 0 },
        ],
      },
    });
    const seen = new Set<string>();
    for (const key of userKeys(2_000)) {
      const ours = flag.variations[resolveVariant(flag, NO_RULE, reader({ 'user.key': key }).read).variation]?.name;
      const featbit = evaluateFeatBitFlag(wire, { key });
      expect(featbit.kind).toBe('fallthrough');
      expect(ours, key).toBe(featbit.variationId);
      seen.add(featbit.variationId as string);
    }
    expect(seen.size).toBe(3);
  });

  it('spreads 100,000 users within 1% of a 34/33/33 rollout', () => {
    const flag = variantFlag({ fallthrough: rollout([34, 33, 33]) });
    const counts = [0, 0, 0];
    const read = (key: string) => () => key;
    for (const key of userKeys(100_000)) counts[resolveVariant(flag, NO_RULE, read(key)).variation]! += 1;
    const shares = counts.map((count) => count / 100_000);
    [0.34, 0.33, 0.33].forEach((expected, i) => expect(Math.abs((shares[i] as number) - expected)).toBeLessThanOrEqual(0.01));
  });
});
