import { unevaluated } from '../../core/default-result';
import { evaluateParsedFeatBitFlag } from './evaluate';
import type { FeatBitSegments, ParsedFeatBitFlag, ParsedFeatBitUser } from './parsed-types';
import type { FeatBitEvaluation } from './result';
import type { FlagResults } from '../../core/results';
import { REASON_FLAG_NOT_FOUND, REASON_TARGETING_KEY_MISSING } from '../../core/reasons';
import type { CheckFlagResult } from '../../core/types';
import type { FlagValue, VariationDetail } from '../../core/values';
import { featBitValue } from './featbit-value';

/** FeatBit flags and segments as evaluation reads them: the synced store, or a bootstrap file. */
export interface FeatBitFlagsView {
  /** A live flag; `undefined` when absent or archived. */
  flag(key: string): ParsedFeatBitFlag | undefined;
  flagKeys(): readonly string[];
  readonly segments: FeatBitSegments;
}

/** A view whose live flags are numbered, so that a request's results keep its reads in an array. */
export interface NumberedFeatBitFlags extends FeatBitFlagsView {
  /** The flag's number in [0, count), fixed for this view; -1 when absent or archived. */
  numberOf(key: string): number;
  /** The flag of that number. */
  flagAt(number: number): ParsedFeatBitFlag;
  /** How many live flags there are. */
  readonly count: number;
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
  /**
   * Each flag read so far, by its number: an array made once per request, where a Map would grow (and rehash)
   * read by read. Past MAX_NUMBERED flags, most of such an array would go unused: a Map then, by key.
   */
  private readonly byNumber: (VariationDetail | undefined)[] | null;
  private readonly byKey: Map<string, VariationDetail> | null;

  constructor(
    private readonly view: NumberedFeatBitFlags,
    private readonly user: ParsedFeatBitUser | null,
    readonly clientKeys: ReadonlySet<string>,
    private readonly onRead: OnFeatBitRead | null,
  ) {
    const numbered = view.count <= MAX_NUMBERED;
    this.byNumber = numbered ? new Array<VariationDetail | undefined>(view.count) : null;
    this.byKey = numbered ? null : new Map();
  }

  keys(): readonly string[] {
    return this.view.flagKeys();
  }

  variant(key: string): VariationDetail | undefined {
    const number = this.view.numberOf(key);
    if (number < 0) return undefined;
    const byNumber = this.byNumber;
    if (byNumber !== null) return (byNumber[number] ??= this.evaluate(key, this.view.flagAt(number)));
    const byKey = this.byKey as Map<string, VariationDetail>;
    let detail = byKey.get(key);
    if (detail === undefined) byKey.set(key, (detail = this.evaluate(key, this.view.flagAt(number))));
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

  private evaluate(key: string, flag: ParsedFeatBitFlag): VariationDetail {
    if (this.user === null) return failed(key, REASON_TARGETING_KEY_MISSING, 'the context has no user or company key to evaluate FeatBit flags for');
    const evaluation = evaluateParsedFeatBitFlag(flag, this.user, this.view.segments);
    if (evaluation.kind === 'error' || evaluation.value === null) return failed(key, evaluation.reason, evaluation.err ?? 'no variation');
    const value = typedValue(flag, evaluation);
    if (value === undefined) return failed(key, 'malformed flag', `variation ${evaluation.variationId} is not a ${flag.variationType} value`);
    this.onRead?.(flag, evaluation);
    return { flagKey: key, value, variation: evaluation.variationId, kind: evaluation.kind, reason: evaluation.reason, ruleId: evaluation.ruleId, bucket: null, err: null };
  }
}

/** More flags than this, and a request's reads are kept by key (see FeatBitResults). */
const MAX_NUMBERED = 512;

/**
 * Each evaluation's value as its flag's type. A flag's evaluations are made when it is parsed and reused for every
 * user who gets that variation, so each text is typed (a JSON value parsed) once, not on every read. Like the
 * flags file's, a JSON value is then one object for every request that is served it.
 */
const typedValues = new WeakMap<FeatBitEvaluation, FlagValue | undefined>();

function typedValue(flag: ParsedFeatBitFlag, evaluation: FeatBitEvaluation): FlagValue | undefined {
  // One lookup on every read; the second only for a text of the wrong type, whose `undefined` is kept too.
  const known = typedValues.get(evaluation);
  if (known !== undefined || typedValues.has(evaluation)) return known;
  const value = featBitValue(flag.variationType, evaluation.value as string);
  typedValues.set(evaluation, value);
  return value;
}

function failed(flagKey: string, reason: string, err: string): VariationDetail {
  // The caller's default is served for an error: the value here is never read as the flag's.
  return { flagKey, value: false, variation: null, kind: 'error', reason, ruleId: null, bucket: null, err };
}

export function featBitResults(view: NumberedFeatBitFlags, user: ParsedFeatBitUser | null, clientKeys: ReadonlySet<string>, onRead: OnFeatBitRead | null = null): FlagResults {
  return new FeatBitResults(view, user, clientKeys, onRead);
}
