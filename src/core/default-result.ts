import type { EvaluationResult } from '../evaluators/schematic/engine';
import type { CheckFlagResult } from './types';

/** A check answered with the default value: no rule, no entities, the reason saying why. */
export function defaultResult(flagKey: string, value: boolean, reason: string, err: string | null = null): CheckFlagResult {
  return unevaluated(flagKey, value, reason, err);
}

/** A result for a flag that was not evaluated; the flag key may be unknown too. */
export function unevaluated<K extends string | null>(flagKey: K, value: boolean, reason: string, err: string | null, flagId: string | null = null): EvaluationResult & { flagKey: K } {
  return {
    value,
    reason,
    err,
    ruleId: null,
    ruleType: null,
    companyId: null,
    userId: null,
    flagId,
    flagKey,
    entitlement: null,
    featureAllocation: null,
    featureUsage: null,
    featureUsageEvent: null,
    featureUsagePeriod: null,
    featureUsageResetAt: null,
  };
}
