import type { EntitlementValueType, MetricPeriod } from '../evaluators/schematic/engine';
import type { CheckFlagResult } from './types';
import type { FlagValue } from './values';

/**
 * What reaches the browser: evaluated values, variation names and entitlement usage of the flags a page may
 * see — never rules, traits or keys. Written by `snapshot.toJSON()`, read by the React provider and the
 * OpenFeature web provider.
 */

/** A flag's entitlement as an app shows it: limit, usage, and whether usage is exhausted. */
export interface FlagEntitlement {
  readonly valueType: EntitlementValueType | null;
  readonly allocation: number | null;
  readonly usage: number | null;
  readonly softLimit: number | null;
  readonly event: string | null;
  readonly period: MetricPeriod | null;
  readonly resetAt: string | null;
  /** Off because a usage limit was reached (Schematic's `featureUsageExceeded`). */
  readonly exceeded: boolean;
}

/**
 * One flag in the browser payload: its value, its variation (for flags with variations) and its entitlement
 * when it has one. No rules, traits or keys.
 */
export interface BrowserFlag {
  readonly value: FlagValue;
  /** The variation served, for flags with variations; absent for on/off flags (the value says it). */
  readonly variation?: string;
  readonly entitlement?: FlagEntitlement;
}

/**
 * The browser payload: what `snapshot.toJSON()` returns and the React provider takes. Version 2 carries any
 * flag value and variation names; version 1 (boolean values only) is still read everywhere.
 */
export interface SnapshotJSON {
  readonly v: 2 | 1;
  readonly flags: Readonly<Record<string, BrowserFlag>>;
  /**
   * The page view these values were served for, when the server counts exposures: the browser reports its own
   * under the same id, so a value rendered by the server and shown by the browser counts once.
   */
  readonly pv?: string;
}

/** The payload version `toJSON()` writes. */
export const SNAPSHOT_VERSION = 2;

export function toEntitlement(result: CheckFlagResult): FlagEntitlement | null {
  const e = result.entitlement;
  if (e === null && result.featureAllocation === null && result.featureUsage === null) return null;
  return {
    valueType: e?.valueType ?? null,
    allocation: result.featureAllocation ?? e?.allocation ?? null,
    usage: result.featureUsage ?? e?.usage ?? null,
    softLimit: e?.softLimit ?? null,
    event: result.featureUsageEvent ?? e?.eventSubtype ?? null,
    period: result.featureUsagePeriod ?? e?.metricPeriod ?? null,
    resetAt: result.featureUsageResetAt ?? e?.metricResetAt ?? null,
    exceeded: !result.value && (result.ruleType === 'company_override_usage_exceeded' || result.ruleType === 'plan_entitlement_usage_exceeded'),
  };
}
