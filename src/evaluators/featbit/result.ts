/**
 * What a FeatBit evaluation reports: the variation (its string value and id), a reason kind, FeatBit's
 * reason text, and whether the evaluation event joins the flag's experiment.
 */

/**
 * Why a flag gave its value: FeatBit's `Off`, `TargetMatch`, `RuleMatch`, `FallThrough` and `Error`. A missing
 * or archived flag is an `error`, as FeatBit's spec and .NET SDK report it.
 */
export type FeatBitReasonKind = 'off' | 'target_match' | 'rule_match' | 'fallthrough' | 'error';

/** The outcome of evaluating one FeatBit flag for one user. Errors carry no variation: the caller's fallback applies. */
export interface FeatBitEvaluation {
  readonly flagKey: string | null;
  readonly kind: FeatBitReasonKind;
  /** The variation's value as FeatBit stores it (a string, JSON text for json flags); `null` on error. */
  readonly value: string | null;
  readonly variationId: string | null;
  /** FeatBit's reason text: `flag off`, `target match`, `match rule <name>`, `fall through targets and rules`. */
  readonly reason: string;
  /** Whether FeatBit would mark this evaluation's insight event `sendToExperiment`. */
  readonly sendToExperiment: boolean;
  /** The id of the rule that matched, for `rule_match`; `null` otherwise. */
  readonly ruleId: string | null;
  /** What is wrong, for `error`; `null` otherwise. */
  readonly err: string | null;
}

export const FEATBIT_REASON_OFF = 'flag off';
export const FEATBIT_REASON_TARGET = 'target match';
export const FEATBIT_REASON_FALLTHROUGH = 'fall through targets and rules';
/** The reason of every error about the flag's content (FeatBit's text). */
export const FEATBIT_REASON_MALFORMED = 'malformed flag';
export const FEATBIT_REASON_NOT_FOUND = 'flag not found';
export const FEATBIT_REASON_BAD_USER = 'user not valid';

/** FeatBit's reason for a rule match. */
export function ruleMatchReason(ruleName: string): string {
  return `match rule ${ruleName}`;
}

/** A successful result for one variation. */
export function variationResult(
  flagKey: string,
  kind: Exclude<FeatBitReasonKind, 'error'>,
  variation: { readonly id: string; readonly value: string },
  details: { reason: string; sendToExperiment: boolean; ruleId?: string | null },
): FeatBitEvaluation {
  return Object.freeze({
    flagKey,
    kind,
    value: variation.value,
    variationId: variation.id,
    reason: details.reason,
    sendToExperiment: details.sendToExperiment,
    ruleId: details.ruleId ?? null,
    err: null,
  });
}

/** An error result: no variation, no experiment, `err` saying what is wrong. */
export function errorResult(flagKey: string | null, reason: string, err: string): FeatBitEvaluation {
  return Object.freeze({ flagKey, kind: 'error', value: null, variationId: null, reason, sendToExperiment: false, ruleId: null, err });
}
