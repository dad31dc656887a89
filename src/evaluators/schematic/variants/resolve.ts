import type { RuleType } from '../engine';
import { bucketInShare, dispatchBucket } from '../../featbit/dispatch';
import type { AttributeReader, AttributeRef, Outcome, VariantFlag } from './types';

/** Which variation a context gets, and why, once the Schematic engine has said which rule (if any) matched. */
export interface ResolvedVariant {
  /** Index into the flag's `variations` (for `key_missing`, the default's: readers serve the caller's default). */
  readonly variation: number;
  /** `key_missing`: a rollout by the context's key (`user.key`, `company.key`) for a context without that key. */
  readonly kind: 'off' | 'rule_match' | 'target_match' | 'fallthrough' | 'key_missing';
  /** The matched rule's id (`null` when off or falling through). */
  readonly ruleId: string | null;
  /** The context's bucket in [0, 1] when a rollout decided; `null` for a fixed variation. */
  readonly bucket: number | null;
  /** For `key_missing`: whose key the rollout needed. */
  readonly keyOf?: AttributeRef['entity'];
}

/** What the engine reports about the rule it matched: an `EvaluationResult` will do. */
export interface MatchedRule {
  readonly ruleId: string | null;
  readonly ruleType: RuleType | null;
}

/**
 * The variation a variant flag serves. The Schematic wire flag of the same key has decided which rule matched
 * (its rules are markers); this picks what that rule, or the fallthrough, serves. Pure, and allocates nothing but
 * its result: shares and the flag key's hash prefix were worked out when the file was compiled.
 *
 * A rollout hashes the flag key followed by the `by` attribute's text, as FeatBit's dispatch does, so a flag
 * moved to FeatBit with the same rollout keeps every context's variation. A context without that attribute
 * hashes the flag key alone (attribute text `""`, as FeatBit's Node and .NET SDKs do): every such context lands
 * in the same share. A rollout by the context's key is the exception: a context with no key is not bucketed at
 * all (`key_missing`), so anonymous traffic does not all land in one arm (FeatBit serves no user without a key).
 */
export function resolveVariant(flag: VariantFlag, matched: MatchedRule, read: AttributeReader): ResolvedVariant {
  if (!flag.enabled) return { variation: flag.offVariation, kind: 'off', ruleId: null, bucket: null };
  const { ruleId, ruleType } = matched;
  const outcome = outcomeFor(flag, ruleId);
  // Only the rules the file wrote have outcomes. The others are the usage-exceeded rules compiled beside a limited
  // entitlement or override (or, defensively, a rule from elsewhere): over the limit, the flag serves its default.
  if (outcome === undefined) return { variation: flag.defaultVariation, kind: 'rule_match', ruleId, bucket: null };
  const kind = ruleId === null ? 'fallthrough' : ruleType === 'company_override' ? 'target_match' : 'rule_match';
  return serve(flag, outcome, kind, ruleId, read);
}

/**
 * The one attribute `resolveVariant` reads for this match: what its rollout buckets by, or `null` when the
 * variation is fixed. With the match, it is all a variation depends on, so a resolution can be reused while
 * that attribute reads the same.
 */
export function rolloutAttribute(flag: VariantFlag, matched: MatchedRule): AttributeRef | null {
  const outcome = flag.enabled ? outcomeFor(flag, matched.ruleId) : undefined;
  return outcome?.kind === 'rollout' ? outcome.by : null;
}

/** What a matched rule serves (`null`: the fallthrough); `undefined` for a rule the file did not write. */
function outcomeFor(flag: VariantFlag, ruleId: string | null): Outcome | undefined {
  return ruleId === null ? flag.fallthrough : flag.outcomes.get(ruleId);
}

function serve(flag: VariantFlag, outcome: Outcome, kind: ResolvedVariant['kind'], ruleId: string | null, read: AttributeReader): ResolvedVariant {
  if (outcome.kind === 'fixed') return { variation: outcome.variation, kind, ruleId, bucket: null };
  const text = read(outcome.by);
  if (outcome.by.name === 'key' && (text === undefined || text.trim() === '')) {
    return { variation: flag.defaultVariation, kind: 'key_missing', ruleId, bucket: null, keyOf: outcome.by.entity };
  }
  const bucket = dispatchBucket(flag.dispatchPrefix, text ?? '');
  // Shares cover [0, 1] in the file's order, so the first holding the bucket wins a shared edge, as in FeatBit.
  for (const { variation, share } of outcome.shares) {
    if (bucketInShare(bucket, share)) return { variation, kind, ruleId, bucket };
  }
  return { variation: flag.defaultVariation, kind, ruleId, bucket };
}
