import type { FlagResults } from '../../core/results';
import type { VariationDetail } from '../../core/values';
import type { ParsedRule } from './engine';
import type { AttributeRef } from './variants/types';

/** A flag with variations as last evaluated for one company and user: valid while its rollout reads the same text. */
export interface KeptVariant {
  /** The rule the engine matched (`null`: none): a function of the flag and the subjects alone. */
  readonly rule: ParsedRule | null;
  /** The attribute the matched rule's (or the fallthrough's) rollout buckets by; `null` when nothing is bucketed. */
  readonly by: AttributeRef | null;
  /** What `by` read then. */
  readonly text: string | undefined;
  readonly detail: VariationDetail;
}

/**
 * What is kept of one company and user's evaluations under one set of flags (see ResultsMemo). On/off values
 * are pure functions of the flag and the subjects, so they are kept as they are. A flag with variations also
 * reads the one attribute its rollout buckets by, which may come from the request's context (`user.key` is the
 * context's key): its detail is kept with that attribute's text, and serves a later request that reads the same.
 */
export class KeptEvaluations {
  readonly values = new Map<string, boolean>();
  readonly variants = new Map<string, KeptVariant>();
  /** The results of every request that adds nothing to the subjects, when no flag has variations: one object, reused. */
  results: FlagResults | null = null;
}
