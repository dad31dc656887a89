import { checkCondition, HOLDS, type Subjects, UNDECIDABLE } from './conditions';
import type { Entitlement, ParsedCompany, ParsedFlag, ParsedRule, ParsedUser } from './parsed-types';
import { orderRules } from './rule-order';
import { NO_USAGE, type UsageFields, usageFields } from './usage';
import type { RuleType } from './wire-types';

export const NO_RULE_MATCHED = 'No rules matched; default value for flag';

/** The outcome of one flag check, field for field as Schematic's engine reports it; absent values are `null`. */
export interface EvaluationResult extends UsageFields {
  readonly value: boolean;
  readonly reason: string;
  /** Why the check could not be made as asked (bad preflight options, an invalid entity); `null` otherwise. */
  readonly err: string | null;
  readonly ruleId: string | null;
  readonly ruleType: RuleType | null;
  readonly companyId: string | null;
  readonly userId: string | null;
  readonly flagId: string | null;
  readonly flagKey: string | null;
  readonly entitlement: Entitlement | null;
}

const EMPTY_RULES: readonly ParsedRule[] = [];

/** The flag's rules plus the company's and user's own rules for it, in evaluation order. */
export function candidateRules(flag: ParsedFlag, company: ParsedCompany | null, user: ParsedUser | null): readonly ParsedRule[] {
  const companyRules = company?.rulesByFlagId.get(flag.id) ?? EMPTY_RULES;
  const userRules = user?.rulesByFlagId.get(flag.id) ?? EMPTY_RULES;
  if (companyRules.length === 0 && userRules.length === 0) return flag.orderedRules;
  return orderRules([...flag.orderedRules, ...companyRules, ...userRules]);
}

const GLOBAL_OVERRIDE_RANK = 0;
const DEFAULT_RANK = 6;

function ruleMatches(rule: ParsedRule, subjects: Subjects): boolean {
  // Global overrides and defaults apply to everyone, whatever conditions they carry.
  if (rule.typeRank === GLOBAL_OVERRIDE_RANK || rule.typeRank === DEFAULT_RANK) return true;
  for (const condition of rule.conditions) {
    if (checkCondition(condition, subjects) !== HOLDS) return false;
  }
  for (const group of rule.conditionGroups) {
    let anyHolds = false;
    for (const condition of group) {
      const outcome = checkCondition(condition, subjects);
      if (outcome === UNDECIDABLE) return false;
      if (outcome === HOLDS) {
        anyHolds = true;
        break;
      }
    }
    if (!anyHolds) return false;
  }
  return true;
}

/** The rule that decides the check, or `null` when none matches (the flag's default applies). */
export function matchingRule(flag: ParsedFlag, subjects: Subjects): ParsedRule | null {
  for (const rule of candidateRules(flag, subjects.company, subjects.user)) {
    if (ruleMatches(rule, subjects)) return rule;
  }
  return null;
}

/**
 * Only the value of a check: the same decision as `evaluate`, with no result object built. For hot reads
 * (`isEnabled`) that need nothing else.
 */
export function evaluateValue(flag: ParsedFlag, subjects: Subjects): boolean {
  if (subjects.options?.problem) return flag.defaultValue;
  const matched = matchingRule(flag, subjects);
  return matched ? matched.value : flag.defaultValue;
}

/**
 * Evaluates a parsed flag for a parsed company and user. Pure and synchronous: the clock is an argument,
 * used only for entitlement reset times.
 */
export function evaluate(flag: ParsedFlag, subjects: Subjects, nowMs: number): EvaluationResult {
  const { company, user, options } = subjects;
  const problem = options?.problem ?? null;
  // Invalid preflight options stop the check before entitlements are looked at.
  const entitlement = problem === null ? (company?.entitlementsByFeatureKey.get(flag.key) ?? null) : null;
  const matched = problem === null ? matchingRule(flag, subjects) : null;
  const usage = matched ? usageFields(matched, subjects, nowMs) : NO_USAGE;
  return {
    value: matched ? matched.value : flag.defaultValue,
    reason: matched ? matched.matchReason : NO_RULE_MATCHED,
    err: problem,
    ruleId: matched ? matched.id : null,
    ruleType: matched ? matched.ruleType : null,
    companyId: company ? company.id : null,
    userId: user ? user.id : null,
    flagId: flag.id,
    flagKey: flag.key,
    entitlement,
    featureAllocation: usage.featureAllocation,
    featureUsage: usage.featureUsage,
    featureUsageEvent: usage.featureUsageEvent,
    featureUsagePeriod: usage.featureUsagePeriod,
    featureUsageResetAt: usage.featureUsageResetAt,
  };
}
