import {
  type Entitlement,
  PARSED,
  type ParsedCompany,
  type ParsedMetric,
  type ParsedRule,
  type ParsedSubject,
  type ParsedUser,
  type WarningTier,
} from './parsed-types';
import { sharedCoerce, TraitSet } from './trait-set';
import { isComparableType, isTraitEntityType, METRIC_PERIODS, metricKey, MONTH_RESETS, parseRules, parseTraitDefinition } from './parse-flag';
import type { CoercedValue } from './coerce';
import type { ParsedTraitDefinition } from './trait-types';
import { childPath, isPlainRecord, type WireObject, WireReader } from './wire-reader';
import type { EntitlementValueType, MetricPeriod, MonthReset, WireCompany, WireUser } from './wire-types';

const VALUE_TYPES: ReadonlySet<string> = new Set<EntitlementValueType>([
  'boolean',
  'credit',
  'numeric',
  'trait',
  'unknown',
  'unlimited',
]);

function parseTraits(reader: WireReader, obj: WireObject, path: string): TraitSet {
  const listPath = childPath(path, 'traits');
  return TraitSet.of(
    reader.list(obj, 'traits', path).map((item, i) => {
      const traitPath = childPath(listPath, i);
      const trait = reader.object(item, traitPath);
      const value = reader.string(trait, 'value', traitPath);
      return {
        definition: parseTraitDefinition(reader, reader.field(trait, 'trait_definition', traitPath), childPath(traitPath, 'trait_definition')),
        value: sharedCoerce(value),
      };
    }),
  );
}

/** What a subject without rules of its own shares (most have none): one empty map, not one each. */
const NO_RULES: ReadonlyMap<string, readonly ParsedRule[]> = new Map();

/** A subject's own rules apply only to the flag they name; rules naming no flag apply to none. */
function indexRules(rules: readonly ParsedRule[]): ReadonlyMap<string, readonly ParsedRule[]> {
  if (rules.length === 0) return NO_RULES;
  const byFlag = new Map<string, ParsedRule[]>();
  for (const rule of rules) {
    if (rule.flagId === null) continue;
    const list = byFlag.get(rule.flagId);
    if (list) list.push(rule);
    else byFlag.set(rule.flagId, [rule]);
  }
  return byFlag;
}

function parseSubject(reader: WireReader, obj: WireObject): ParsedSubject {
  return {
    id: reader.string(obj, 'id', ''),
    accountId: reader.string(obj, 'account_id', ''),
    environmentId: reader.string(obj, 'environment_id', ''),
    keys: reader.stringMap(obj, 'keys', ''),
    traits: parseTraits(reader, obj, ''),
    rulesByFlagId: indexRules(parseRules(reader, obj, '')),
  };
}

function parseMetric(reader: WireReader, value: unknown, path: string): ParsedMetric {
  const obj = reader.object(value, path);
  reader.string(obj, 'account_id', path);
  reader.string(obj, 'environment_id', path);
  reader.string(obj, 'company_id', path);
  reader.string(obj, 'created_at', path);
  reader.optionalString(obj, 'valid_until', path);
  return {
    eventSubtype: reader.string(obj, 'event_subtype', path),
    period: reader.enumValue<MetricPeriod>(obj, 'period', METRIC_PERIODS, path),
    monthReset: reader.enumValue<MonthReset>(obj, 'month_reset', MONTH_RESETS, path),
    value: reader.integer(obj, 'value', path),
  };
}

function parseWarningTier(reader: WireReader, value: unknown, path: string): WarningTier {
  const obj = reader.object(value, path);
  return { key: reader.string(obj, 'key', path), value: reader.integer(obj, 'value', path) };
}

/** Builds the entitlement in the shape results carry it: camelCase, with absent fields left out. */
function readEntitlement(reader: WireReader, value: unknown, path: string): Entitlement {
  const obj = reader.object(value, path);
  const entitlement: Record<string, unknown> = {
    featureId: reader.string(obj, 'feature_id', path),
    featureKey: reader.string(obj, 'feature_key', path),
    valueType: reader.enumValue<EntitlementValueType>(obj, 'value_type', VALUE_TYPES, path),
  };
  const optional: Record<string, unknown> = {
    allocation: reader.optionalInteger(obj, 'allocation', path),
    usage: reader.optionalInteger(obj, 'usage', path),
    softLimit: reader.optionalInteger(obj, 'soft_limit', path),
    eventName: reader.optionalString(obj, 'event_name', path),
    eventSubtype: reader.optionalString(obj, 'event_subtype', path),
    metricPeriod: reader.optionalEnum(obj, 'metric_period', METRIC_PERIODS, path),
    monthReset: reader.optionalEnum(obj, 'month_reset', MONTH_RESETS, path),
    metricResetAt: reader.optionalString(obj, 'metric_reset_at', path),
    creditId: reader.optionalString(obj, 'credit_id', path),
    consumptionRate: reader.optionalNumber(obj, 'consumption_rate', path),
    creditTotal: reader.optionalNumber(obj, 'credit_total', path),
    creditUsed: reader.optionalNumber(obj, 'credit_used', path),
    creditRemaining: reader.optionalNumber(obj, 'credit_remaining', path),
    creditReserved: reader.optionalNumber(obj, 'credit_reserved', path),
    creditSettled: reader.optionalNumber(obj, 'credit_settled', path),
  };
  for (const [name, fieldValue] of Object.entries(optional)) {
    if (fieldValue !== null) entitlement[name] = fieldValue;
  }
  const tiersPath = childPath(path, 'warning_tiers');
  const tiers = reader.list(obj, 'warning_tiers', path).map((tier, i) => Object.freeze(parseWarningTier(reader, tier, childPath(tiersPath, i))));
  if (tiers.length > 0) entitlement.warningTiers = Object.freeze(tiers);
  return Object.freeze(entitlement) as unknown as Entitlement;
}

function parseEntitlements(reader: WireReader, obj: WireObject): Map<string, Entitlement> {
  const byKey = new Map<string, Entitlement>();
  reader.list(obj, 'entitlements', '').forEach((item, i) => {
    const entitlement = readEntitlement(reader, item, childPath('entitlements', i));
    if (!byKey.has(entitlement.featureKey)) byKey.set(entitlement.featureKey, entitlement);
  });
  return byKey;
}

function parseCreditPostpaid(reader: WireReader, obj: WireObject): Map<string, number | null> {
  const postpaid = new Map<string, number | null>();
  for (const [creditId, terms] of reader.map(obj, 'credit_postpaid', '')) {
    const path = childPath('credit_postpaid', creditId);
    // A null entry is no postpaid arrangement at all (not an unlimited one).
    if (terms === null) continue;
    postpaid.set(creditId, reader.optionalNumber(reader.object(terms, path), 'overdraft_limit', path));
  }
  return postpaid;
}

function parseSubscription(reader: WireReader, obj: WireObject): ParsedCompany['subscription'] {
  const value = reader.field(obj, 'subscription', '');
  if (value === undefined || value === null) return null;
  const sub = reader.object(value, 'subscription');
  return {
    id: reader.string(sub, 'id', 'subscription'),
    periodStart: reader.string(sub, 'period_start', 'subscription'),
    periodEnd: reader.string(sub, 'period_end', 'subscription'),
  };
}

/**
 * Reads one feature entitlement (as the REST API and DataStream send it) into the shape results carry.
 * @throws InvalidEntityError where it is malformed.
 */
export function parseEntitlement(entitlement: unknown): Entitlement {
  return readEntitlement(new WireReader('company'), entitlement, 'entitlement');
}

/**
 * Validates a DataStream company and indexes it for evaluation.
 * @throws InvalidEntityError where Schematic's engine would reject the company.
 */
export function parseCompany(company: WireCompany | unknown): ParsedCompany {
  const reader = new WireReader('company');
  const obj = reader.object(company, '');
  const metricsPath = 'metrics';
  const metrics = reader.list(obj, 'metrics', '').map((item, i) => parseMetric(reader, item, childPath(metricsPath, i)));
  const metricValues = new Map<string, number>();
  for (const m of metrics) {
    const key = metricKey(m.eventSubtype, m.period, m.monthReset);
    if (!metricValues.has(key)) metricValues.set(key, m.value);
  }
  return Object.freeze({
    [PARSED]: 'company' as const,
    ...parseSubject(reader, obj),
    basePlanId: reader.optionalString(obj, 'base_plan_id', ''),
    planIds: reader.stringList(obj, 'plan_ids', ''),
    planVersionIds: reader.stringList(obj, 'plan_version_ids', ''),
    billingProductIds: reader.stringList(obj, 'billing_product_ids', ''),
    metrics,
    metricValues,
    creditBalances: reader.numberMap(obj, 'credit_balances', ''),
    creditPostpaid: parseCreditPostpaid(reader, obj),
    subscription: parseSubscription(reader, obj),
    entitlementsByFeatureKey: parseEntitlements(reader, obj),
  });
}

/**
 * Validates a DataStream user and indexes it for evaluation.
 * @throws InvalidEntityError where Schematic's engine would reject the user.
 */
export function parseUser(user: WireUser | unknown): ParsedUser {
  return simpleUser(user) ?? parseUserFully(user);
}

/** parseUser without its fast path: what the fast path is tested against. */
export function parseUserFully(user: WireUser | unknown): ParsedUser {
  const reader = new WireReader('user');
  return Object.freeze({ [PARSED]: 'user' as const, ...parseSubject(reader, reader.object(user, '')) });
}

/**
 * The parsed form of a user in the shape nearly every user has (plain objects, snake-case fields, no rules of its
 * own, string keys and trait values), read in one pass without the reader's bookkeeping: a flags file's thousand
 * users are parsed at start-up, before the first answer. `null` for anything else, which the full reader reads
 * (and words the problem of): both give the same user wherever this one answers.
 */
export function simpleUser(value: unknown): ParsedUser | null {
  if (!isPlainRecord(value) || 'accountId' in value || 'environmentId' in value) return null;
  const { id, account_id: accountId, environment_id: environmentId, keys, traits, rules } = value;
  if (typeof id !== 'string' || typeof accountId !== 'string' || typeof environmentId !== 'string') return null;
  if (rules !== undefined && rules !== null && !(Array.isArray(rules) && rules.length === 0)) return null;
  const simpleKeys = keys === undefined || keys === null ? {} : simpleStrings(keys);
  const simpleTraits = traits === undefined || traits === null ? TraitSet.EMPTY : simpleTraitSet(traits);
  if (simpleKeys === null || simpleTraits === null) return null;
  return Object.freeze({ [PARSED]: 'user' as const, id, accountId, environmentId, keys: simpleKeys, traits: simpleTraits, rulesByFlagId: NO_RULES });
}

/** A copy of a record of strings, exactly sized (see WireReader.stringMap); `null` when any value is not a string. */
function simpleStrings(value: unknown): Record<string, string> | null {
  if (!isPlainRecord(value)) return null;
  for (const name in value) if (typeof value[name] !== 'string') return null;
  return { ...value } as Record<string, string>;
}

function simpleTraitSet(value: unknown): TraitSet | null {
  if (!Array.isArray(value)) return null;
  const entries: { definition: ParsedTraitDefinition | null; value: CoercedValue }[] = [];
  for (const trait of value) {
    if (!isPlainRecord(trait) || 'traitDefinition' in trait || typeof trait.value !== 'string') return null;
    const wire = trait.trait_definition;
    let definition: ParsedTraitDefinition | null = null;
    if (wire !== undefined && wire !== null) {
      if (!isPlainRecord(wire) || 'comparableType' in wire || 'entityType' in wire) return null;
      const { id, comparable_type: comparableType, entity_type: entityType } = wire;
      if (typeof id !== 'string' || !isComparableType(comparableType) || !isTraitEntityType(entityType)) return null;
      definition = { id, comparableType, entityType };
    }
    entries.push({ definition, value: sharedCoerce(trait.value) });
  }
  return TraitSet.of(entries);
}
