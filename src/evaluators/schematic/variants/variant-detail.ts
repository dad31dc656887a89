import type { CheckFlagResult } from '../../../core/types';
import type { VariationDetail } from '../../../core/values';
import type { ParsedRule } from '../engine';
import { REASON_TARGETING_KEY_MISSING } from '../../../core/reasons';
import { type MatchedRule, resolveVariant } from './resolve';
import type { AttributeReader, VariantFlag } from './types';

export const REASON_FLAG_OFF = 'Flag off - serving its off variation';
export const REASON_FALLTHROUGH = 'No rules matched; fallthrough';

const NO_RULE: MatchedRule = { ruleId: null, ruleType: null };

/**
 * A flags-file flag with variations, evaluated: the Schematic engine has decided which rule matched (a check's
 * result, or the rule itself on the hot path); the flag's variant table says what that rule serves, bucketing
 * the context for rollouts.
 * @param matchReason the Schematic reason text of that match, reported for rule matches.
 */
export function variantDetail(flag: VariantFlag, matched: MatchedRule, matchReason: string, read: AttributeReader): VariationDetail {
  const resolved = resolveVariant(flag, matched, read);
  if (resolved.kind === 'key_missing') {
    const entity = resolved.keyOf ?? 'user';
    const err = `flag "${flag.key}" rolls out by ${entity}.key, and the context has no ${entity} key: it is not put in an arm`;
    // Not evaluated: readers serve the caller's default (see chooseVariation); the value here is never the flag's.
    return { flagKey: flag.key, value: false, variation: null, kind: 'error', reason: REASON_TARGETING_KEY_MISSING, ruleId: null, bucket: null, err };
  }
  const variation = flag.variations[resolved.variation] as VariantFlag['variations'][number];
  return {
    flagKey: flag.key,
    value: variation.value,
    variation: variation.name,
    kind: resolved.kind,
    reason: resolved.kind === 'off' ? REASON_FLAG_OFF : resolved.kind === 'fallthrough' ? REASON_FALLTHROUGH : matchReason,
    ruleId: resolved.ruleId,
    bucket: resolved.bucket,
    err: null,
  };
}

/** `variantDetail` for the rule the engine matched (`null`: none), without building the engine's full result. */
export function variantOfRule(flag: VariantFlag, rule: ParsedRule | null, read: AttributeReader): VariationDetail {
  return rule === null ? variantDetail(flag, NO_RULE, '', read) : variantDetail(flag, { ruleId: rule.id, ruleType: rule.ruleType }, rule.matchReason, read);
}

/** `variantDetail` for a check's full result. */
export function variantOfResult(flag: VariantFlag, result: CheckFlagResult, read: AttributeReader): VariationDetail {
  return variantDetail(flag, result, result.reason, read);
}

/** The Schematic-shaped result of a flag with variations: enabled when it serves `true`, with the variant's reason. */
export function variantCheckResult(result: CheckFlagResult, detail: VariationDetail): CheckFlagResult {
  const ruleType = detail.ruleId === null ? null : result.ruleType;
  return { ...result, value: detail.value === true, reason: detail.reason, ruleId: detail.ruleId, ruleType, err: detail.err ?? result.err };
}
