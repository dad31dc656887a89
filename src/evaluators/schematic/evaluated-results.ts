import { evaluate, evaluateValue, matchingRule, type ParsedFlag, type Subjects } from './engine';
import { REASON_FLAG_NOT_FOUND } from '../../core/reasons';
import type { CheckFlagResult } from '../../core/types';
import type { VariationDetail } from '../../core/values';
import type { AttributeReader, VariantFlag } from './variants/types';
import { rolloutAttribute } from './variants/resolve';
import { variantCheckResult, variantOfResult, variantOfRule } from './variants/variant-detail';
import type { FlagResults } from '../../core/results';
import type { KeptEvaluations } from './kept-evaluations';

/** Flags with variations (from the flags file) and how to read the context's attributes for their rollouts. */
export interface Variants {
  readonly flags: ReadonlyMap<string, VariantFlag>;
  readonly read: AttributeReader;
}

const NO_VARIANTS: Variants = { flags: new Map(), read: () => undefined };
const NO_RULE = { ruleId: null, ruleType: null } as const;

/**
 * Results evaluated in-process, each flag on first read, for one set of subjects. A class rather than an
 * object of closures, so that making one (per request, or once per company and user) allocates one object.
 */
class EvaluatedResults implements FlagResults {
  readonly missingReason = REASON_FLAG_NOT_FOUND;

  readonly clientKeys: ReadonlySet<string>;
  /** Read when a full result is built: the clock only moves entitlement reset times. */
  private readonly now: () => number;
  private readonly kept: KeptEvaluations | null;
  /** Where flags with variations are kept: `kept`, or nowhere (see EvaluatedResultsOptions.variantsKept). */
  private readonly keptVariants: KeptEvaluations | null;
  private readonly variants: Variants;
  private subjectsOrMake: Subjects | (() => Subjects);

  constructor(
    private readonly flags: ReadonlyMap<string, ParsedFlag>,
    subjects: Subjects | (() => Subjects),
    parts: { now: () => number; clientKeys: ReadonlySet<string>; kept: KeptEvaluations | null; variantsKept: boolean; variants: Variants },
  ) {
    this.subjectsOrMake = subjects;
    this.now = parts.now;
    this.clientKeys = parts.clientKeys;
    this.kept = parts.kept;
    this.keptVariants = parts.variantsKept ? parts.kept : null;
    this.variants = parts.variants;
  }

  /** Made on first use when given as a function: a request answered from what is kept never needs them. */
  private get subjects(): Subjects {
    if (typeof this.subjectsOrMake === 'function') this.subjectsOrMake = this.subjectsOrMake();
    return this.subjectsOrMake;
  }

  keys(): string[] {
    return [...this.flags.keys()];
  }

  result(key: string): CheckFlagResult | undefined {
    const flag = this.flags.get(key);
    if (!flag) return undefined;
    const result = evaluate(flag, this.subjects, this.now()) as CheckFlagResult;
    const variantFlag = this.variants.flags.get(key);
    return variantFlag ? variantCheckResult(result, variantOfResult(variantFlag, result, this.variants.read)) : result;
  }

  value(key: string): boolean | undefined {
    if (this.variants.flags.has(key)) return this.variant(key)?.value === true;
    const known = this.kept?.value(key);
    if (known !== undefined) return known;
    const flag = this.flags.get(key);
    if (!flag) return undefined;
    const value = evaluateValue(flag, this.subjects);
    this.kept?.keepValue(key, value);
    return value;
  }

  /** Flags with variations only: an on/off flag's variation is read from its `result` (see FlagResults). */
  variant(key: string): VariationDetail | undefined {
    const flag = this.flags.get(key);
    const variantFlag = this.variants.flags.get(key);
    if (!flag || !variantFlag) return undefined;
    const { read } = this.variants;
    const kept = this.keptVariants?.variant(key);
    if (kept !== undefined && (kept.by === null || read(kept.by) === kept.text)) return kept.detail;
    // Only the matched rule is needed: the full result (entitlement, usage) is built by `result` when asked.
    const rule = kept === undefined ? matchingRule(flag, this.subjects) : kept.rule;
    const detail = variantOfRule(variantFlag, rule, read);
    // Kept the first time only: a later miss is another text (another visitor's key, say), which the next
    // request is no more likely to read again than the first, and replacing would cost every miss an allocation.
    if (this.keptVariants !== null && kept === undefined) {
      const by = rolloutAttribute(variantFlag, rule === null ? NO_RULE : { ruleId: rule.id, ruleType: rule.ruleType });
      this.keptVariants.keepVariant(key, { rule, by, text: by === null ? undefined : read(by), detail });
    }
    return detail;
  }
}

export interface EvaluatedResultsOptions {
  /**
   * Where what is evaluated is kept for the next request of the same company and user (see `ResultsMemo`);
   * absent to evaluate on every read.
   */
  readonly kept?: KeptEvaluations;
  /**
   * Whether flags with variations are kept there too (default: yes). Not for requests with no stored user: their
   * rollouts read each visitor's own key, so what one visitor got seldom serves the next.
   */
  readonly variantsKept?: boolean;
  /** Flags with variations and the context's attribute reader; none by default. */
  readonly variants?: Variants;
}

export function evaluatedResults(
  flags: ReadonlyMap<string, ParsedFlag>,
  subjects: Subjects | (() => Subjects),
  now: () => number,
  clientKeys: ReadonlySet<string>,
  options: EvaluatedResultsOptions = {},
): FlagResults {
  return new EvaluatedResults(flags, subjects, { now, clientKeys, kept: options.kept ?? null, variantsKept: options.variantsKept ?? true, variants: options.variants ?? NO_VARIANTS });
}
