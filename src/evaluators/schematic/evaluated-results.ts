import { evaluate, evaluateValue, matchingRule, type ParsedFlag, type Subjects } from './engine';
import { REASON_FLAG_NOT_FOUND } from '../../core/reasons';
import type { CheckFlagResult } from '../../core/types';
import type { VariationDetail } from '../../core/values';
import type { AttributeReader, VariantFlag } from './variants/types';
import { variantCheckResult, variantOfResult, variantOfRule } from './variants/variant-detail';
import type { FlagResults } from '../../core/results';

/** Flags with variations (from the flags file) and how to read the context's attributes for their rollouts. */
export interface Variants {
  readonly flags: ReadonlyMap<string, VariantFlag>;
  readonly read: AttributeReader;
}

const NO_VARIANTS: Variants = { flags: new Map(), read: () => undefined };

/**
 * Results evaluated in-process, each flag on first read, for one set of subjects. A class rather than an
 * object of closures, so that making one (per request, or once per company and user) allocates one object.
 */
class EvaluatedResults implements FlagResults {
  readonly missingReason = REASON_FLAG_NOT_FOUND;

  readonly clientKeys: ReadonlySet<string>;
  /** Read when a full result is built: the clock only moves entitlement reset times. */
  private readonly now: () => number;
  private readonly knownValues: Map<string, boolean> | null;
  private readonly variants: Variants;

  constructor(
    private readonly flags: ReadonlyMap<string, ParsedFlag>,
    private readonly subjects: Subjects,
    parts: { now: () => number; clientKeys: ReadonlySet<string>; knownValues: Map<string, boolean> | null; variants: Variants },
  ) {
    this.now = parts.now;
    this.clientKeys = parts.clientKeys;
    this.knownValues = parts.knownValues;
    this.variants = parts.variants;
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
    const known = this.knownValues?.get(key);
    if (known !== undefined) return known;
    const flag = this.flags.get(key);
    if (!flag) return undefined;
    const value = this.variants.flags.has(key) ? this.variant(key)?.value === true : evaluateValue(flag, this.subjects);
    this.knownValues?.set(key, value);
    return value;
  }

  /** Flags with variations only: an on/off flag's variation is read from its `result` (see FlagResults). */
  variant(key: string): VariationDetail | undefined {
    const flag = this.flags.get(key);
    const variantFlag = this.variants.flags.get(key);
    if (!flag || !variantFlag) return undefined;
    // Only the matched rule is needed: the full result (entitlement, usage) is built by `result` when asked.
    return variantOfRule(variantFlag, matchingRule(flag, this.subjects), this.variants.read);
  }
}

export interface EvaluatedResultsOptions {
  /**
   * Where `value()` remembers what it evaluated, when the results are kept and reused (see `ResultsMemo`);
   * absent to evaluate on every read.
   */
  readonly knownValues?: Map<string, boolean>;
  /** Flags with variations and the context's attribute reader; none by default. */
  readonly variants?: Variants;
}

export function evaluatedResults(
  flags: ReadonlyMap<string, ParsedFlag>,
  subjects: Subjects,
  now: () => number,
  clientKeys: ReadonlySet<string>,
  options: EvaluatedResultsOptions = {},
): FlagResults {
  return new EvaluatedResults(flags, subjects, { now, clientKeys, knownValues: options.knownValues ?? null, variants: options.variants ?? NO_VARIANTS });
}
