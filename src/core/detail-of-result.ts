import type { CheckFlagResult } from './types';
import { NO_RULE_MATCHED } from '../evaluators/schematic/engine';
import { REASON_FLAG_DEFAULT, REASON_FLAG_NOT_FOUND, REASON_FROM_SNAPSHOT, REASON_OFFLINE, REASON_OVERRIDDEN } from './reasons';
import { booleanVariation, type FlagValue, type ReasonKind, type VariationDetail } from './values';

/** The reason kind of a Schematic check's outcome, read from its rule and reason text. */
export function kindOfResult(result: CheckFlagResult): ReasonKind {
  if (result.err !== null) return 'error';
  if (result.ruleId === null) {
    switch (result.reason) {
      case REASON_FLAG_NOT_FOUND:
        return 'not_found';
      case REASON_FROM_SNAPSHOT:
        return 'cached';
      case REASON_OVERRIDDEN:
        return 'override';
      case REASON_FLAG_DEFAULT:
      case REASON_OFFLINE:
        return 'default';
      case NO_RULE_MATCHED:
        return 'fallthrough';
      default:
        // Schematic's API names no rule for its own defaults ("No rules matched…" in its words).
        return result.ruleType === null ? 'fallthrough' : 'rule_match';
    }
  }
  // Overrides name one company (or user): FeatBit and LaunchDarkly call that targeting.
  return result.ruleType === 'company_override' || result.ruleType === 'company_override_usage_exceeded' ? 'target_match' : 'rule_match';
}

/** A Schematic check's outcome as a variation: an on/off flag's variations are "true" and "false". */
export function detailOfResult(result: CheckFlagResult, value: FlagValue = result.value): VariationDetail {
  const kind = kindOfResult(result);
  const evaluated = kind !== 'default' && kind !== 'not_found' && kind !== 'error';
  return {
    flagKey: result.flagKey,
    value,
    variation: evaluated && typeof value === 'boolean' ? booleanVariation(value) : null,
    kind,
    reason: result.reason,
    ruleId: result.ruleId,
    bucket: null,
    err: result.err,
  };
}
