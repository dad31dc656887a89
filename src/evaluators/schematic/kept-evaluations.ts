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

/** How many sets of request attributes are kept per company and user: the rest are evaluated afresh. */
const ATTRIBUTE_SETS_KEPT = 16;

/**
 * What is kept of one company and user's evaluations under one set of flags (see ResultsMemo). On/off values
 * are pure functions of the flag and the subjects, so they are kept as they are. A flag with variations also
 * reads the one attribute its rollout buckets by, which may come from the request's context (`user.key` is the
 * context's key): its detail is kept with that attribute's text, and serves a later request that reads the same.
 * Requests with attributes the conditions read are kept apart, by those attributes' values (`forAttributes`).
 */
export class KeptEvaluations {
  private valuesByKey: Map<string, boolean> | null = null;
  private variantsByKey: Map<string, KeptVariant> | null = null;
  private byAttributes: Map<string, KeptEvaluations> | null = null;
  /** The results of every request that adds nothing to the subjects, when no flag has variations: one object, reused. */
  results: FlagResults | null = null;

  value(key: string): boolean | undefined {
    return this.valuesByKey?.get(key);
  }

  keepValue(key: string, value: boolean): void {
    (this.valuesByKey ??= new Map()).set(key, value);
  }

  variant(key: string): KeptVariant | undefined {
    return this.variantsByKey?.get(key);
  }

  keepVariant(key: string, variant: KeptVariant): void {
    (this.variantsByKey ??= new Map()).set(key, variant);
  }

  /**
   * What is kept for requests whose attributes, as far as conditions read them, are `attributesKey` (see
   * attributesKey); the first kept set gives way when more than ATTRIBUTE_SETS_KEPT are asked for.
   */
  forAttributes(attributesKey: string): KeptEvaluations {
    if (attributesKey === '') return this;
    const sets = (this.byAttributes ??= new Map());
    let kept = sets.get(attributesKey);
    if (kept === undefined) {
      if (sets.size >= ATTRIBUTE_SETS_KEPT) sets.delete(sets.keys().next().value as string);
      kept = new KeptEvaluations();
      sets.set(attributesKey, kept);
    }
    return kept;
  }
}
