import { unevaluated } from '../../core/default-result';
import { evaluateParsedFeatBitFlag } from './evaluate';
import type { FeatBitSegments, ParsedFeatBitFlag, ParsedFeatBitUser } from './parsed-types';
import type { FeatBitEvaluation } from './result';
import type { FlagResults } from '../../core/results';
import { REASON_FLAG_NOT_FOUND, REASON_TARGETING_KEY_MISSING } from '../../core/reasons';
import type { CheckFlagResult } from '../../core/types';
import type { VariationDetail } from '../../core/values';
import { featBitValue } from './featbit-value';

/** FeatBit flags and segments as evaluation reads them: the synced store, or a bootstrap file. */
export interface FeatBitFlagsView {
  /** A live flag; `undefined` when absent or archived. */
  flag(key: string): ParsedFeatBitFlag | undefined;
  flagKeys(): readonly string[];
  readonly segments: FeatBitSegments;
}

/** Told of each flag a request actually read, once per request and flag (FeatBit's evaluation insight). */
export type OnFeatBitRead = (flag: ParsedFeatBitFlag, evaluation: FeatBitEvaluation) => void;

/**
 * One request's FeatBit flags: each evaluated on its first read and remembered, so a snapshot, `req.flags`
 * or a server component reading a flag many times reports it once. Values are typed by the flag's
 * `variationType`; variations are FeatBit's variation ids.
 */
class FeatBitResults implements FlagResults {
  readonly missingReason = REASON_FLAG_NOT_FOUND;
  private readonly read = new Map<string, VariationDetail | undefined>();

  constructor(
    private readonly view: FeatBitFlagsView,
    private readonly user: ParsedFeatBitUser | null,
    readonly clientKeys: ReadonlySet<string>,
    private readonly onRead: OnFeatBitRead | null,
  ) {}

  keys(): readonly string[] {
    return this.view.flagKeys();
  }

  variant(key: string): VariationDetail | undefined {
    if (this.read.has(key)) return this.read.get(key);
    const detail = this.evaluate(key);
    this.read.set(key, detail);
    return detail;
  }

  value(key: string): boolean | undefined {
    const detail = this.variant(key);
    return detail === undefined ? undefined : detail.value === true;
  }

  result(key: string): CheckFlagResult | undefined {
    const detail = this.variant(key);
    if (detail === undefined) return undefined;
    return { ...unevaluated(key, detail.value === true, detail.reason, detail.err), ruleId: detail.ruleId };
  }

  private evaluate(key: string): VariationDetail | undefined {
    const flag = this.view.flag(key);
    if (!flag) return undefined;
    if (this.user === null) return failed(key, REASON_TARGETING_KEY_MISSING, 'the context has no user or company key to evaluate FeatBit flags for');
    const evaluation = evaluateParsedFeatBitFlag(flag, this.user, this.view.segments);
    if (evaluation.kind === 'error' || evaluation.value === null) return failed(key, evaluation.reason, evaluation.err ?? 'no variation');
    const value = featBitValue(flag.variationType, evaluation.value);
    if (value === undefined) return failed(key, 'malformed flag', `variation ${evaluation.variationId} is not a ${flag.variationType} value`);
    this.onRead?.(flag, evaluation);
    return { flagKey: key, value, variation: evaluation.variationId, kind: evaluation.kind, reason: evaluation.reason, ruleId: evaluation.ruleId, bucket: null, err: null };
  }
}

function failed(flagKey: string, reason: string, err: string): VariationDetail {
  // The caller's default is served for an error: the value here is never read as the flag's.
  return { flagKey, value: false, variation: null, kind: 'error', reason, ruleId: null, bucket: null, err };
}

export function featBitResults(view: FeatBitFlagsView, user: ParsedFeatBitUser | null, clientKeys: ReadonlySet<string>, onRead: OnFeatBitRead | null = null): FlagResults {
  return new FeatBitResults(view, user, clientKeys, onRead);
}
