import type { ParsedRule } from './parsed-types';
import type { RuleType } from './wire-types';

/** Rule types in the order the engine tries them. */
export const RULE_TYPE_ORDER: readonly RuleType[] = [
  'global_override',
  'company_override',
  'plan_entitlement',
  'company_override_usage_exceeded',
  'plan_entitlement_usage_exceeded',
  'standard',
  'default',
];

export const RULE_TYPES: ReadonlySet<string> = new Set(RULE_TYPE_ORDER);

const STANDARD_RANK = RULE_TYPE_ORDER.indexOf('standard');
const FIRST_ENTITLEMENT_RANK = RULE_TYPE_ORDER.indexOf('company_override');
const LAST_ENTITLEMENT_RANK = RULE_TYPE_ORDER.indexOf('plan_entitlement_usage_exceeded');

export function ruleTypeRank(ruleType: RuleType): number {
  return RULE_TYPE_ORDER.indexOf(ruleType);
}

/** The four override and entitlement types: they report usage, and grant (true) rules are tried first. */
export function isEntitlementRank(rank: number): boolean {
  return rank >= FIRST_ENTITLEMENT_RANK && rank <= LAST_ENTITLEMENT_RANK;
}

function compareRules(a: ParsedRule, b: ParsedRule): number {
  if (a.typeRank !== b.typeRank) return a.typeRank - b.typeRank;
  if (a.typeRank === STANDARD_RANK) return a.priority - b.priority;
  // Optimistic: among overrides and entitlements a grant wins over a denial, whatever their priority.
  if (isEntitlementRank(a.typeRank) && a.value !== b.value) return a.value ? -1 : 1;
  return 0;
}

/** Rules in evaluation order; ties keep their input order (the sort is stable). */
export function orderRules(rules: readonly ParsedRule[]): ParsedRule[] {
  return [...rules].sort(compareRules);
}
