import { type Entitlement, parseEntitlement, type MetricPeriod, type RuleType } from '../evaluators/schematic/engine';
import type { CheckFlagResult } from '../core/types';

/** `CheckFlagResponseData` as Schematic's REST API answers `POST /flags/{key}/check` (snake_case). */
export interface CheckFlagResponseData {
  flag: string;
  value: boolean;
  reason: string;
  flag_id?: string | null;
  rule_id?: string | null;
  rule_type?: string | null;
  company_id?: string | null;
  user_id?: string | null;
  error?: string | null;
  entitlement?: unknown;
  feature_allocation?: number | null;
  feature_usage?: number | null;
  feature_usage_event?: string | null;
  feature_usage_period?: string | null;
  feature_usage_reset_at?: string | null;
}

function entitlementOf(wire: unknown): Entitlement | null {
  if (wire === undefined || wire === null) return null;
  try {
    return parseEntitlement(wire);
  } catch {
    // An entitlement the API sent in a shape flagwire cannot read is left out, never guessed at.
    return null;
  }
}

/** The API's answer in the shape every check returns. */
export function toCheckResult(data: CheckFlagResponseData, key: string): CheckFlagResult {
  return {
    value: data.value,
    reason: data.reason,
    err: data.error ?? null,
    ruleId: data.rule_id ?? null,
    ruleType: (data.rule_type as RuleType | null | undefined) ?? null,
    companyId: data.company_id ?? null,
    userId: data.user_id ?? null,
    flagId: data.flag_id ?? null,
    flagKey: data.flag ?? key,
    entitlement: entitlementOf(data.entitlement),
    featureAllocation: data.feature_allocation ?? null,
    featureUsage: data.feature_usage ?? null,
    featureUsageEvent: data.feature_usage_event ?? null,
    featureUsagePeriod: (data.feature_usage_period as MetricPeriod | null | undefined) ?? null,
    featureUsageResetAt: data.feature_usage_reset_at ?? null,
  };
}
