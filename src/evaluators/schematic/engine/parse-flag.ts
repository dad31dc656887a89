import { coerce } from './coerce';
import { PARSED, type ParsedCondition, type ParsedFlag, type ParsedRule, type ParsedTraitDefinition } from './parsed-types';
import { RULE_TYPES, orderRules, ruleTypeRank } from './rule-order';
import { childPath, type WireObject, WireReader } from './wire-reader';
import type { ComparableType, MetricPeriod, MonthReset, RuleType, TraitEntityType, WireFlag } from './wire-types';

const COMPARABLE_TYPES: ReadonlySet<string> = new Set<ComparableType>(['bool', 'date', 'int', 'string']);
const TRAIT_ENTITY_TYPES: ReadonlySet<string> = new Set<TraitEntityType>(['company', 'user']);

export const isComparableType = (value: unknown): value is ComparableType => typeof value === 'string' && COMPARABLE_TYPES.has(value);
export const isTraitEntityType = (value: unknown): value is TraitEntityType => typeof value === 'string' && TRAIT_ENTITY_TYPES.has(value);
export const METRIC_PERIODS: ReadonlySet<string> = new Set<MetricPeriod>([
  'all_time',
  'current_day',
  'current_week',
  'current_month',
]);
export const MONTH_RESETS: ReadonlySet<string> = new Set<MonthReset>(['first_of_month', 'billing_cycle']);

export function parseTraitDefinition(reader: WireReader, value: unknown, path: string): ParsedTraitDefinition | null {
  if (value === undefined || value === null) return null;
  const obj = reader.object(value, path);
  return {
    id: reader.string(obj, 'id', path),
    comparableType: reader.enumValue<ComparableType>(obj, 'comparable_type', COMPARABLE_TYPES, path),
    entityType: reader.enumValue<TraitEntityType>(obj, 'entity_type', TRAIT_ENTITY_TYPES, path),
  };
}

/** The key a metric is found by: event, period and month reset. */
export function metricKey(eventSubtype: string, period: string, monthReset: string): string {
  return `${eventSubtype}\u0000${period}\u0000${monthReset}`;
}

function parseCondition(reader: WireReader, value: unknown, path: string): ParsedCondition {
  const obj = reader.object(value, path);
  reader.string(obj, 'account_id', path);
  reader.string(obj, 'environment_id', path);
  const traitValue = reader.string(obj, 'trait_value', path);
  const eventSubtype = reader.optionalString(obj, 'event_subtype', path);
  const metricPeriod = reader.optionalEnum<MetricPeriod>(obj, 'metric_period', METRIC_PERIODS, path);
  const monthReset = reader.optionalEnum<MonthReset>(obj, 'metric_period_month_reset', MONTH_RESETS, path);
  return {
    id: reader.string(obj, 'id', path),
    conditionType: reader.string(obj, 'condition_type', path),
    operator: reader.string(obj, 'operator', path),
    resourceIds: reader.stringList(obj, 'resource_ids', path),
    traitValue,
    coercedTraitValue: coerce(traitValue),
    traitDefinition: parseTraitDefinition(reader, reader.field(obj, 'trait_definition', path), childPath(path, 'trait_definition')),
    comparisonTraitDefinition: parseTraitDefinition(
      reader,
      reader.field(obj, 'comparison_trait_definition', path),
      childPath(path, 'comparison_trait_definition'),
    ),
    eventSubtype,
    metricValue: reader.optionalInteger(obj, 'metric_value', path),
    metricPeriod,
    monthReset,
    creditId: reader.optionalString(obj, 'credit_id', path),
    consumptionRate: reader.optionalNumber(obj, 'consumption_rate', path),
    metricKey: eventSubtype === null ? null : metricKey(eventSubtype, metricPeriod ?? 'all_time', monthReset ?? 'first_of_month'),
  };
}

function parseConditions(reader: WireReader, obj: WireObject, field: string, path: string): ParsedCondition[] {
  const listPath = childPath(path, field);
  return reader.list(obj, field, path).map((item, i) => parseCondition(reader, item, childPath(listPath, i)));
}

function spaced(ruleType: RuleType): string {
  return ruleType.replaceAll('_', ' ');
}

export function parseRule(reader: WireReader, value: unknown, path: string): ParsedRule {
  const obj = reader.object(value, path);
  const id = reader.string(obj, 'id', path);
  reader.string(obj, 'account_id', path);
  reader.string(obj, 'environment_id', path);
  const ruleType = reader.enumValue<RuleType>(obj, 'rule_type', RULE_TYPES, path);
  const name = reader.string(obj, 'name', path);
  const conditions = parseConditions(reader, obj, 'conditions', path);
  const groupsPath = childPath(path, 'condition_groups');
  const conditionGroups = reader.list(obj, 'condition_groups', path).map((group, i) => {
    const groupPath = childPath(groupsPath, i);
    return parseConditions(reader, reader.object(group, groupPath), 'conditions', groupPath);
  });
  return {
    id,
    flagId: reader.optionalString(obj, 'flag_id', path),
    ruleType,
    typeRank: ruleTypeRank(ruleType),
    name,
    priority: reader.integer(obj, 'priority', path),
    conditions,
    conditionGroups,
    value: reader.boolean(obj, 'value', path),
    matchReason: `Matched ${spaced(ruleType)} rule "${name}" (${id})`,
    usageCondition: conditions.find((c) => c.conditionType === 'metric' || c.conditionType === 'trait') ?? null,
  };
}

export function parseRules(reader: WireReader, obj: WireObject, path: string): ParsedRule[] {
  const listPath = childPath(path, 'rules');
  return reader.list(obj, 'rules', path).map((item, i) => parseRule(reader, item, childPath(listPath, i)));
}

/**
 * Validates a DataStream flag and prepares it for evaluation.
 * @throws InvalidEntityError where Schematic's engine would reject the flag.
 */
export function parseFlag(flag: WireFlag | unknown): ParsedFlag {
  const reader = new WireReader('flag');
  const obj = reader.object(flag, '');
  const id = reader.string(obj, 'id', '');
  const accountId = reader.string(obj, 'account_id', '');
  const environmentId = reader.string(obj, 'environment_id', '');
  const key = reader.string(obj, 'key', '');
  const defaultValue = reader.boolean(obj, 'default_value', '');
  const rules = parseRules(reader, obj, '');
  return Object.freeze({ [PARSED]: 'flag' as const, id, accountId, environmentId, key, defaultValue, orderedRules: orderRules(rules) });
}
