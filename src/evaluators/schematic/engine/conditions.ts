import { type CoercedValue, coerce, compareNumbers, compareTraitValues } from './coerce';
import type {
  ParsedCheckOptions,
  ParsedCompany,
  ParsedCondition,
  ParsedSubject,
  ParsedTraitDefinition,
  ParsedUser,
} from './parsed-types';

/** The entities and preflight usage one check runs against. */
export interface Subjects {
  readonly company: ParsedCompany | null;
  readonly user: ParsedUser | null;
  readonly options: ParsedCheckOptions | null;
}

/**
 * A condition holds, does not, or cannot be decided. Undecidable conditions (a metric condition without a
 * limit) fail the whole rule even inside a condition group that another condition would satisfy later.
 */
export const HOLDS = 1;
export const FAILS = 0;
export const UNDECIDABLE = -1;
export type ConditionOutcome = typeof HOLDS | typeof FAILS | typeof UNDECIDABLE;

/** Does one condition hold? A condition that needs a company or user that is not there does not. */
export function checkCondition(condition: ParsedCondition, subjects: Subjects): ConditionOutcome {
  if (condition.conditionType === 'metric') {
    const { company } = subjects;
    if (company === null || condition.eventSubtype === null) return FAILS;
    if (condition.metricValue === null) return UNDECIDABLE;
    return metricMatches(condition, condition.metricValue, company, subjects.options) ? HOLDS : FAILS;
  }
  return conditionMatches(condition, subjects) ? HOLDS : FAILS;
}

function conditionMatches(condition: ParsedCondition, subjects: Subjects): boolean {
  const { company } = subjects;
  switch (condition.conditionType) {
    case 'company':
      return company !== null && idListMatches(condition, [company.id]);
    case 'user':
      return subjects.user !== null && idListMatches(condition, [subjects.user.id]);
    case 'plan':
      return company !== null && idListMatches(condition, company.planIds);
    case 'plan_version':
      return company !== null && idListMatches(condition, company.planVersionIds);
    case 'billing_product':
      return company !== null && idListMatches(condition, company.billingProductIds);
    case 'base_plan':
      return company !== null && basePlanMatches(condition, company.basePlanId);
    case 'credit':
      return company !== null && creditMatches(condition, company, subjects.options);
    case 'trait':
      return traitMatches(condition, subjects);
    default:
      return false;
  }
}

/** `ne` means "none of the resources"; every other operator means "any of them". */
function idListMatches(condition: ParsedCondition, ids: readonly string[]): boolean {
  let found = false;
  for (const id of ids) {
    if (condition.resourceIds.includes(id)) {
      found = true;
      break;
    }
  }
  return condition.operator === 'ne' ? !found : found;
}

function basePlanMatches(condition: ParsedCondition, basePlanId: string | null): boolean {
  switch (condition.operator) {
    case 'eq':
      return basePlanId !== null && condition.resourceIds.includes(basePlanId);
    case 'ne':
      return basePlanId === null || !condition.resourceIds.includes(basePlanId);
    case 'is_empty':
      return basePlanId === null;
    case 'not_empty':
      return basePlanId !== null;
    default:
      return false;
  }
}

/** The company's usage a metric condition reads (event, period, month reset), or 0 when it has none. */
export function metricUsage(company: ParsedCompany, condition: ParsedCondition): number {
  return condition.metricKey === null ? 0 : (company.metricValues.get(condition.metricKey) ?? 0);
}

/** The company or the user, whichever a trait definition belongs to. */
export function subjectOfTrait(definition: ParsedTraitDefinition, subjects: Subjects): ParsedSubject | null {
  return definition.entityType === 'company' ? subjects.company : subjects.user;
}

/** Preflight usage: event usage for this event when given, else plain usage. */
function preflightUsage(condition: ParsedCondition, options: ParsedCheckOptions | null): number {
  if (options === null) return 0;
  const { eventUsage, usage } = options;
  if (eventUsage !== null && eventUsage.eventSubtype === condition.eventSubtype && eventUsage.quantity > 0) {
    return eventUsage.quantity;
  }
  return usage !== null && usage > 0 ? usage : 0;
}

function metricMatches(
  condition: ParsedCondition,
  metricValue: number,
  company: ParsedCompany,
  options: ParsedCheckOptions | null,
): boolean {
  const used = metricUsage(company, condition) + preflightUsage(condition, options);
  // Against a trait, a missing or non-integer trait is a limit of 0.
  const limit = condition.comparisonTraitDefinition === null ? metricValue : (comparisonLimit(condition, company) ?? 0);
  return compareNumbers(condition.operator, used, limit);
}

/** The integer in the company trait a metric condition compares against, when it names one that holds one. */
export function comparisonLimit(condition: ParsedCondition, company: ParsedCompany): number | null {
  const comparison = condition.comparisonTraitDefinition;
  if (comparison === null) return null;
  return company.traits.coerced(comparison.id)?.integer ?? null;
}

function creditMatches(condition: ParsedCondition, company: ParsedCompany, options: ParsedCheckOptions | null): boolean {
  const creditId = condition.creditId;
  if (creditId === null) return false;
  const balance = company.creditBalances.get(creditId) ?? 0;
  const rate = condition.consumptionRate ?? 1;
  let cost = rate;
  const explicitCost = options?.creditCost.get(creditId);
  if (explicitCost !== undefined) cost = explicitCost;
  else if (options) {
    const usage = preflightUsage(condition, options);
    if (usage > 0) cost = usage * rate;
  }
  let sufficient: boolean;
  if (company.creditPostpaid.has(creditId)) {
    const overdraft = company.creditPostpaid.get(creditId) ?? null;
    sufficient = overdraft === null || balance + overdraft >= cost;
  } else {
    sufficient = balance >= cost;
  }
  // `gt`/`gte` conditions express "usage exceeds the balance": they hold when the balance falls short.
  const exceeded = condition.operator === 'gt' || condition.operator === 'gte';
  return exceeded ? !sufficient : sufficient;
}

function traitMatches(condition: ParsedCondition, subjects: Subjects): boolean {
  const definition = condition.traitDefinition;
  if (definition === null) return false;
  const subject = subjectOfTrait(definition, subjects);
  if (subject === null) return false;
  const left = subject.traits.coerced(definition.id) ?? EMPTY_VALUE;
  const right = comparedValue(condition, subject);
  // The entity's own definition of the trait decides how to compare; without the trait, the condition's.
  const type = subject.traits.definition(definition.id)?.comparableType ?? definition.comparableType;
  const added = type === 'int' && subjects.options?.usage != null && subjects.options.usage > 0 ? subjects.options.usage : 0;
  return compareTraitValues(type, condition.operator, left, right, added);
}

/**
 * What a trait condition compares against: its `trait_value`, or, when it names a comparison trait, that
 * trait on the same entity (whatever entity the comparison definition names), empty when missing.
 */
export function comparedValue(condition: ParsedCondition, subject: ParsedSubject): CoercedValue {
  const comparison = condition.comparisonTraitDefinition;
  if (comparison === null) return condition.coercedTraitValue;
  return subject.traits.coerced(comparison.id) ?? EMPTY_VALUE;
}

const EMPTY_VALUE = coerce('');
