import { unevaluated } from './default-result';
import type { FlagResults } from './results';
import { REASON_FLAG_NOT_FOUND, REASON_FROM_SNAPSHOT } from './reasons';
import type { BrowserFlag, SnapshotJSON } from './payload';
import type { CheckFlagResult } from './types';
import { booleanVariation, type VariationDetail } from './values';

/** Results read from a browser payload (either version); entitlements and variations are kept as they came. */
export function browserResults(json: SnapshotJSON, clientKeys: readonly string[] | undefined): FlagResults {
  const flags = json.flags;
  const flagOf = (key: string): BrowserFlag | undefined => (Object.hasOwn(flags, key) ? flags[key] : undefined);
  const keys = Object.keys(flags);
  return {
    keys: () => keys,
    value: (key) => {
      const flag = flagOf(key);
      return flag === undefined ? undefined : flag.value === true;
    },
    browserFlag: flagOf,
    variant(key): VariationDetail | undefined {
      const flag = flagOf(key);
      if (!flag) return undefined;
      const variation = flag.variation ?? (typeof flag.value === 'boolean' ? booleanVariation(flag.value) : null);
      return { flagKey: key, value: flag.value, variation, kind: 'cached', reason: REASON_FROM_SNAPSHOT, ruleId: null, bucket: null, err: null };
    },
    result(key): CheckFlagResult | undefined {
      const flag = flagOf(key);
      if (!flag) return undefined;
      const result = unevaluated(key, flag.value === true, REASON_FROM_SNAPSHOT, null);
      const e = flag.entitlement;
      return e
        ? { ...result, featureAllocation: e.allocation, featureUsage: e.usage, featureUsageEvent: e.event, featureUsagePeriod: e.period, featureUsageResetAt: e.resetAt }
        : result;
    },
    clientKeys: new Set(clientKeys ?? keys),
    missingReason: REASON_FLAG_NOT_FOUND,
  };
}
