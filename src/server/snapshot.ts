import { defaultResult, unevaluated } from './default-result';
import { setOwn } from './flag-defaults';
import type { EntitlementValueType, MetricPeriod } from './engine';
import type { FlagResults } from './modes/mode';
import { REASON_FLAG_NOT_FOUND, REASON_FROM_SNAPSHOT } from './reasons';
import type { CheckFlagResult, FlagKey } from './types';

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

/** One flag in the browser payload: its value, and its entitlement when it has one. No rules, traits or keys. */
export interface BrowserFlag {
  readonly value: boolean;
  readonly entitlement?: FlagEntitlement;
}

/** The browser payload: what `snapshot.toJSON()` returns and the React provider takes. */
export interface SnapshotJSON {
  readonly v: 1;
  readonly flags: Readonly<Record<string, BrowserFlag>>;
}

function toEntitlement(result: CheckFlagResult): FlagEntitlement | null {
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

/**
 * One request's flags: the company and user were looked up once when it was taken; every read after that
 * is synchronous and pure. Flags are evaluated on first read and remembered, so a snapshot never changes,
 * even when the flags do.
 */
export class FlagsSnapshot {
  /** Results read so far; made on the first `detail()`, since most requests only ask `isEnabled`. */
  private results: Map<string, CheckFlagResult> | null = null;

  constructor(
    private readonly source: FlagResults,
    private readonly defaultFor: (key: string) => boolean,
  ) {}

  /**
   * A snapshot of values evaluated elsewhere: a browser payload (`toJSON()`) from a cache, another process or
   * the flags endpoint. Reads work as on the original; `detail()` reports `REASON_FROM_SNAPSHOT` and has no
   * rule, and flags the payload lacks read as `defaultFor(key)` (false unless given). `toJSON()` sends the
   * browser `clientKeys` (default: every flag in the payload).
   */
  /** Whether a value has the shape of a browser payload (`toJSON()`'s), e.g. an endpoint's answer. */
  static isJSON(value: unknown): value is SnapshotJSON {
    const candidate = value as SnapshotJSON | null;
    return typeof candidate === 'object' && candidate !== null && candidate.v === 1 && typeof candidate.flags === 'object' && candidate.flags !== null;
  }

  static fromJSON(json: SnapshotJSON, options: { defaultFor?: (key: string) => boolean; clientKeys?: readonly string[] } = {}): FlagsSnapshot {
    return new FlagsSnapshot(browserResults(json, options.clientKeys), options.defaultFor ?? (() => false));
  }

  isEnabled(key: FlagKey): boolean {
    // Reads that need only the value skip building the whole result (and the garbage it leaves per request).
    const known = this.results?.get(key);
    if (known) return known.value;
    return this.source.value?.(key) ?? this.detail(key).value;
  }

  /** Value, reason, matched rule and entitlement usage of one flag. */
  detail(key: FlagKey): CheckFlagResult {
    this.results ??= new Map();
    let result = this.results.get(key);
    if (result === undefined) {
      result = this.source.result(key) ?? defaultResult(key, this.defaultFor(key), this.source.missingReason);
      this.results.set(key, result);
    }
    return result;
  }

  entitlement(key: FlagKey): FlagEntitlement | null {
    const given = this.source.browserFlag?.(key);
    if (given) return given.entitlement ?? null;
    return toEntitlement(this.detail(key));
  }

  /** Every flag key this snapshot knows. */
  keys(): FlagKey[] {
    return [...this.source.keys()] as FlagKey[];
  }

  /**
   * The browser payload: evaluated values of the client-visible flags (or of `keys`), never rules, traits
   * or entity keys. `JSON.stringify(snapshot)` calls this.
   */
  toJSON(keys?: readonly string[] | string): SnapshotJSON {
    // JSON.stringify passes the property name; only an explicit list of keys selects flags.
    const selected = Array.isArray(keys) ? keys : [...this.source.clientKeys];
    const flags: Record<string, BrowserFlag> = {};
    for (const key of selected) {
      const given = this.source.browserFlag?.(key);
      if (given) {
        setOwn(flags, key, given);
        continue;
      }
      const result = this.detail(key as FlagKey);
      const entitlement = toEntitlement(result);
      setOwn(flags, key, entitlement ? { value: result.value, entitlement } : { value: result.value });
    }
    return { v: 1, flags };
  }
}

/** Results read from a browser payload; entitlements are kept as they came. */
function browserResults(json: SnapshotJSON, clientKeys: readonly string[] | undefined): FlagResults {
  const flags = json.flags;
  const flagOf = (key: string) => (Object.hasOwn(flags, key) ? flags[key] : undefined);
  const keys = Object.keys(flags);
  return {
    keys: () => keys,
    value: (key) => flagOf(key)?.value,
    browserFlag: flagOf,
    result(key) {
      const flag = flagOf(key);
      if (!flag) return undefined;
      const result = unevaluated(key, flag.value, REASON_FROM_SNAPSHOT, null);
      const e = flag.entitlement;
      return e
        ? { ...result, featureAllocation: e.allocation, featureUsage: e.usage, featureUsageEvent: e.event, featureUsagePeriod: e.period, featureUsageResetAt: e.resetAt }
        : result;
    },
    clientKeys: new Set(clientKeys ?? keys),
    missingReason: REASON_FLAG_NOT_FOUND,
  };
}
