import type { FeatBitCondition, FeatBitFlag } from '../../src/evaluators/featbit/wire-types';

/** A live FeatBit flag with variations `on`/`off`, no targets or rules, and everyone falling through to `off`. */
export function featBitFlag(overrides: Partial<FeatBitFlag> = {}): FeatBitFlag {
  return {
    id: 'f',
    key: 'checkout-v2',
    variations: [
      { id: 'on', value: 'true' },
      { id: 'off', value: 'false' },
    ],
    targetUsers: [],
    rules: [],
    isEnabled: true,
    disabledVariationId: 'off',
    exptIncludeAllTargets: false,
    fallthrough: { dispatchKey: null, includedInExpt: false, variations: [{ id: 'off', rollout: [0, 1], exptRollout: 0 }] },
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** The same with one rule over `conditions` that sends everyone it matches to `on`. */
export function featBitRuleFlag(conditions: FeatBitCondition[], overrides: Partial<FeatBitFlag> = {}, ruleName = 'Rule'): FeatBitFlag {
  return featBitFlag({
    rules: [{ id: 'r', name: ruleName, dispatchKey: null, includedInExpt: false, conditions, variations: [{ id: 'on', rollout: [0, 1], exptRollout: 0 }] }],
    ...overrides,
  });
}
