import type { FlagResults } from '../../core/results';
import { type AttributesKey, NO_ATTRIBUTES_READ } from './attributes-key';
import type { CheckFlagResult } from '../../core/types';
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

/** Where each flag's answer sits in what is kept: one numbering per flag set, shared by every company and user. */
export class FlagSlots {
  private readonly values: ReadonlyMap<string, number>;
  private readonly variants: ReadonlyMap<string, number>;

  constructor(flagKeys: Iterable<string>, variantKeys: Iterable<string>) {
    this.values = new Map([...flagKeys].map((key, i) => [key, i]));
    this.variants = new Map([...variantKeys].map((key, i) => [key, i]));
  }

  value(key: string): number | undefined {
    return this.values.get(key);
  }

  variant(key: string): number | undefined {
    return this.variants.get(key);
  }
}

/** Flags per word of the bit sets below: a small integer (31 bits), which V8 keeps unboxed. */
const FLAGS_PER_WORD = 30;

/**
 * What is kept of one company and user's evaluations under one set of flags (see ResultsMemo). On/off values
 * are pure functions of the flag and the subjects, so they are kept as they are: two bits per flag (known, on).
 * A flag with variations also reads the one attribute its rollout buckets by, which may come from the request's
 * context (`user.key` is the context's key): its detail is kept with that attribute's text, and serves a later
 * request that reads the same. Requests with attributes the conditions read are kept apart, by those attributes'
 * values (`forAttributes`). Kept for every active user, so small: no map per user, nothing allocated up front.
 */
export class KeptEvaluations {
  /** Per word: the flags whose value is known, then those of them that are on. */
  private bits: number[] | null = null;
  private variants: (KeptVariant | undefined)[] | null = null;
  private checks: (CheckFlagResult | undefined)[] | null = null;
  private byAttributes: Map<AttributesKey, KeptEvaluations> | null = null;
  /** The results of every request that adds nothing to the subjects, when no flag has variations: one object, reused. */
  results: FlagResults | null = null;

  constructor(private readonly slots: FlagSlots) {}

  value(key: string): boolean | undefined {
    const slot = this.slots.value(key);
    if (slot === undefined || this.bits === null) return undefined;
    const word = 2 * ((slot / FLAGS_PER_WORD) | 0);
    const bit = 1 << slot % FLAGS_PER_WORD;
    return ((this.bits[word] ?? 0) & bit) === 0 ? undefined : ((this.bits[word + 1] ?? 0) & bit) !== 0;
  }

  keepValue(key: string, value: boolean): void {
    const slot = this.slots.value(key);
    if (slot === undefined) return;
    const word = 2 * ((slot / FLAGS_PER_WORD) | 0);
    const bit = 1 << slot % FLAGS_PER_WORD;
    const bits = (this.bits ??= []);
    while (bits.length <= word + 1) bits.push(0);
    bits[word] = (bits[word] as number) | bit;
    if (value) bits[word + 1] = (bits[word + 1] as number) | bit;
  }

  variant(key: string): KeptVariant | undefined {
    const slot = this.slots.variant(key);
    return slot === undefined ? undefined : this.variants?.[slot];
  }

  keepVariant(key: string, variant: KeptVariant): void {
    const slot = this.slots.variant(key);
    if (slot === undefined) return;
    // Its detail is served to every later request that reads the same text: frozen, so none may change it.
    Object.freeze(variant.detail);
    putAt((this.variants ??= []), slot, variant);
  }

  /** A single check's whole result, kept only when it holds whatever the clock says (no usage reset time in it). */
  checked(key: string): CheckFlagResult | undefined {
    const slot = this.slots.value(key);
    return slot === undefined ? undefined : this.checks?.[slot];
  }

  keepChecked(key: string, result: CheckFlagResult): void {
    const slot = this.slots.value(key);
    if (slot === undefined || result.featureUsageResetAt !== null) return;
    // Frozen: every later check of this company and user gets this same object.
    putAt((this.checks ??= []), slot, Object.freeze(result));
  }

  /**
   * What is kept for requests whose attributes, as far as conditions read them, are `attributesKey` (see
   * attributesKey); the first kept set gives way when more than ATTRIBUTE_SETS_KEPT are asked for.
   */
  forAttributes(attributesKey: AttributesKey): KeptEvaluations {
    if (attributesKey === NO_ATTRIBUTES_READ) return this;
    const sets = (this.byAttributes ??= new Map());
    let kept = sets.get(attributesKey);
    if (kept === undefined) {
      if (sets.size >= ATTRIBUTE_SETS_KEPT) sets.delete(sets.keys().next().value as AttributesKey);
      kept = new KeptEvaluations(this.slots);
      sets.set(attributesKey, kept);
    }
    return kept;
  }
}

/** Sets `list[slot]`, growing the list with `undefined`s rather than holes, so it stays a packed array. */
function putAt<T>(list: (T | undefined)[], slot: number, item: T): void {
  while (list.length <= slot) list.push(undefined);
  list[slot] = item;
}
