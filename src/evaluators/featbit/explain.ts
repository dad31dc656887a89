import { dispatchAttribute, ordinaryHolds, userAttribute } from './attributes';
import { dispatchBucket, pickShare } from './dispatch';
import { evaluateParsedFeatBitFlag } from './evaluate';
import type { FeatBitSegments, ParsedFeatBitCondition, ParsedFeatBitFlag, ParsedFeatBitRollout, ParsedFeatBitUser } from './parsed-types';
import type { FeatBitEvaluation } from './result';
import { inAnySegment } from './segments';

/**
 * Why a FeatBit flag gives a user what it gives, step by step: the targets, every rule with each condition's
 * verdict, and the rollout that decided (the user's bucket and the share it fell in). For `flagwire explain`;
 * the answer itself is `evaluateParsedFeatBitFlag`'s, so the explanation cannot drift from what is served.
 */
export type ConditionVerdict = 'holds' | 'fails' | 'error';

export interface FeatBitConditionExplanation {
  readonly condition: ParsedFeatBitCondition;
  readonly verdict: ConditionVerdict;
  /** The user's value for an ordinary condition (`undefined` when the user has none). */
  readonly userValue: string | undefined;
  /** What went wrong, for `error`. */
  readonly problem: string | null;
}

export interface FeatBitRolloutExplanation {
  /** The attribute the rollout buckets by: `null` for the user key. */
  readonly by: string | null;
  readonly bucket: number;
  readonly shares: readonly { readonly variationId: string; readonly value: string | null; readonly start: number; readonly end: number }[];
  /** The index of the share holding the bucket, -1 for none. */
  readonly chosen: number;
}

export interface FeatBitRuleExplanation {
  readonly name: string;
  readonly id: string | null;
  /** `not reached`: an earlier step decided; its conditions are shown all the same. */
  readonly outcome: 'matched' | 'did not match' | 'error' | 'not reached';
  readonly conditions: readonly FeatBitConditionExplanation[];
  readonly rollout: FeatBitRolloutExplanation;
}

export interface FeatBitExplanation {
  readonly result: FeatBitEvaluation;
  readonly isEnabled: boolean;
  /** How many user keys the flag targets, and whether the user's is one of them. */
  readonly targets: { readonly keys: number; readonly userTargeted: boolean };
  readonly rules: readonly FeatBitRuleExplanation[];
  /** Reached when no target or rule decides. */
  readonly fallthrough: FeatBitRolloutExplanation | null;
}

function explainCondition(condition: ParsedFeatBitCondition, user: ParsedFeatBitUser, segments: FeatBitSegments): FeatBitConditionExplanation {
  if (condition.kind === 'ordinary') {
    const userValue = userAttribute(user, condition.source, condition.property);
    const outcome = ordinaryHolds(condition, user);
    return typeof outcome === 'string' ? { condition, verdict: 'error', userValue, problem: outcome } : { condition, verdict: outcome ? 'holds' : 'fails', userValue, problem: null };
  }
  const inAny = condition.problem ?? inAnySegment(condition.segmentIds, user, segments);
  if (typeof inAny === 'string') return { condition, verdict: 'error', userValue: undefined, problem: inAny };
  return { condition, verdict: inAny === (condition.kind === 'in-segment') ? 'holds' : 'fails', userValue: undefined, problem: null };
}

function explainRollout(flag: ParsedFeatBitFlag, rollout: ParsedFeatBitRollout, user: ParsedFeatBitUser): FeatBitRolloutExplanation {
  const value = dispatchAttribute(user, rollout.dispatchProperty);
  return {
    by: rollout.dispatchProperty,
    bucket: dispatchBucket(flag.dispatchPrefix, value),
    shares: rollout.shares.map((share) => ({ variationId: share.variationId, value: share.results[0].value, start: share.start, end: share.end })),
    chosen: pickShare(rollout.shares, flag.dispatchPrefix, value),
  };
}

/** Explains one evaluation (see `FeatBitExplanation`). */
export function explainFeatBitFlag(flag: ParsedFeatBitFlag, user: ParsedFeatBitUser, segments: FeatBitSegments): FeatBitExplanation {
  const result = evaluateParsedFeatBitFlag(flag, user, segments);
  const targeted = flag.targets.get(user.key);
  let decided = !flag.isEnabled || targeted !== undefined;
  const rules = flag.rules.map((rule): FeatBitRuleExplanation => {
    const conditions = rule.conditions.map((c) => explainCondition(c, user, segments));
    const rollout = explainRollout(flag, rule, user);
    const base = { name: rule.name, id: rule.id, conditions, rollout };
    if (decided) return { ...base, outcome: 'not reached' };
    // Conditions are tried in order and the first that does not hold settles the rule, as evaluation does.
    const settling = conditions.find((c) => c.verdict !== 'holds');
    const outcome = settling === undefined ? 'matched' : settling.verdict === 'error' ? 'error' : 'did not match';
    if (outcome !== 'did not match') decided = true;
    return { ...base, outcome };
  });
  return {
    result,
    isEnabled: flag.isEnabled,
    targets: { keys: flag.targets.size, userTargeted: targeted !== undefined },
    rules,
    fallthrough: flag.fallthrough === null ? null : explainRollout(flag, flag.fallthrough, user),
  };
}
