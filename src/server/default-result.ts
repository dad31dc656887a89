import type { CheckFlagResult } from './types';

/** A check answered with the default value: no rule, no entities, the reason saying why. */
export function defaultResult(flagKey: string, value: boolean, reason: string, err: string | null = null): CheckFlagResult {
  return {
    value,
    reason,
    err,
    ruleId: null,
    ruleType: null,
    companyId: null,
    userId: null,
    flagId: null,
    flagKey,
    entitlement: null,
    featureAllocation: null,
    featureUsage: null,
    featureUsageEvent: null,
    featureUsagePeriod: null,
    featureUsageResetAt: null,
  };
}
