import type { CoercedValue } from './coerce';
import type { Traits } from './trait-set';
import type { ParsedTraitDefinition } from './trait-types';
import type {
  EntitlementValueType,
  MetricPeriod,
  MonthReset,
  RuleType,
} from './wire-types';

/**
 * Entities after parsing: validated once, indexed for the lookups evaluation makes, so a check does no JSON
 * work and no searching beyond a map lookup. Build them with `parseFlag`, `parseCompany`, `parseUser` and
 * `parseCheckOptions`; treat them as opaque and immutable.
 */
export const PARSED = Symbol.for('flagwire.parsed');

export type { ParsedTrait, ParsedTraitDefinition } from './trait-types';

export interface ParsedCondition {
  readonly id: string;
  readonly conditionType: string;
  readonly operator: string;
  readonly resourceIds: readonly string[];
  readonly traitValue: string;
  readonly coercedTraitValue: CoercedValue;
  readonly traitDefinition: ParsedTraitDefinition | null;
  readonly comparisonTraitDefinition: ParsedTraitDefinition | null;
  readonly eventSubtype: string | null;
  readonly metricValue: number | null;
  readonly metricPeriod: MetricPeriod | null;
  readonly monthReset: MonthReset | null;
  readonly creditId: string | null;
  readonly consumptionRate: number | null;
  /** Which company metric a metric condition reads: event, period and month reset (defaults applied). */
  readonly metricKey: string | null;
}

export interface ParsedRule {
  readonly id: string;
  readonly flagId: string | null;
  readonly ruleType: RuleType;
  /** Position of the rule type in evaluation order (global overrides first, default last). */
  readonly typeRank: number;
  readonly name: string;
  readonly priority: number;
  readonly conditions: readonly ParsedCondition[];
  readonly conditionGroups: readonly (readonly ParsedCondition[])[];
  readonly value: boolean;
  /** The reason a match reports, built once: `Matched standard rule "Beta" (rule_1)`. */
  readonly matchReason: string;
  /** The first metric or trait condition: what entitlement usage fields report on. */
  readonly usageCondition: ParsedCondition | null;
}

export interface ParsedFlag {
  readonly [PARSED]: 'flag';
  readonly id: string;
  readonly accountId: string;
  readonly environmentId: string;
  readonly key: string;
  readonly defaultValue: boolean;
  /** The flag's own rules in evaluation order. */
  readonly orderedRules: readonly ParsedRule[];
}

export interface ParsedMetric {
  readonly eventSubtype: string;
  readonly period: MetricPeriod;
  readonly monthReset: MonthReset;
  readonly value: number;
}

export interface WarningTier {
  readonly key: string;
  readonly value: number;
}

/** A company's entitlement to a feature, as results report it (camelCase; absent fields left out). */
export interface Entitlement {
  readonly featureId: string;
  readonly featureKey: string;
  readonly valueType: EntitlementValueType;
  readonly allocation?: number;
  readonly usage?: number;
  readonly softLimit?: number;
  readonly eventName?: string;
  readonly eventSubtype?: string;
  readonly metricPeriod?: MetricPeriod;
  readonly monthReset?: MonthReset;
  readonly metricResetAt?: string;
  readonly creditId?: string;
  readonly consumptionRate?: number;
  readonly creditTotal?: number;
  readonly creditUsed?: number;
  readonly creditRemaining?: number;
  readonly creditReserved?: number;
  readonly creditSettled?: number;
  readonly warningTiers?: readonly WarningTier[];
}

/** What company and user have in common: identity, keys, traits and rules of their own. */
export interface ParsedSubject {
  readonly id: string;
  readonly accountId: string;
  readonly environmentId: string;
  readonly keys: Readonly<Record<string, string>>;
  /** Traits by definition id: one shared shape per kind of subject and a value per trait (see TraitSet). */
  readonly traits: Traits;
  /** The subject's own rules, by the flag they belong to. */
  readonly rulesByFlagId: ReadonlyMap<string, readonly ParsedRule[]>;
}

export interface ParsedCompany extends ParsedSubject {
  readonly [PARSED]: 'company';
  readonly basePlanId: string | null;
  readonly planIds: readonly string[];
  readonly planVersionIds: readonly string[];
  readonly billingProductIds: readonly string[];
  readonly metrics: readonly ParsedMetric[];
  /** Metric values by `metricKey` (the first metric of each key wins). */
  readonly metricValues: ReadonlyMap<string, number>;
  readonly creditBalances: ReadonlyMap<string, number>;
  /** Postpaid credits: the overdraft limit per credit, `null` meaning unlimited. */
  readonly creditPostpaid: ReadonlyMap<string, number | null>;
  readonly subscription: { readonly id: string; readonly periodStart: string; readonly periodEnd: string } | null;
  readonly entitlementsByFeatureKey: ReadonlyMap<string, Entitlement>;
}

export interface ParsedUser extends ParsedSubject {
  readonly [PARSED]: 'user';
  /**
   * Where a stored user keeps what the flags evaluated for it (see ResultsMemo): `null` until then; absent on a
   * user made for one request, whose results are not kept there.
   */
  memoSlot?: MemoSlot | null;
}

/** What one set of flags remembers about a user, tagged with the memo it belongs to (a new set starts over). */
export interface MemoSlot {
  readonly memo: object;
  readonly kept: unknown;
}

export interface ParsedCheckOptions {
  readonly [PARSED]: 'options';
  readonly usage: number | null;
  readonly eventUsage: { readonly eventSubtype: string; readonly quantity: number } | null;
  readonly creditCost: ReadonlyMap<string, number>;
  /** Set when the options are well-formed JSON but not valid preflight (negative usage or cost). */
  readonly problem: string | null;
}
