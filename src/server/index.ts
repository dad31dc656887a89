/**
 * `flagwire/server`: the server SDK. Everything an app or an adapter uses is exported here by name.
 */
export { evaluateFlag, INVALID_ENTITY_REASON } from './evaluate-flag';
export type { EvaluateFlagOptions } from './evaluate-flag';
export { NO_RULE_MATCHED, parseCheckOptions, parseCompany, parseFlag, parseUser } from './engine';
export type {
  ComparableType,
  ConditionType,
  Entitlement,
  EntitlementValueType,
  EvaluationResult,
  MetricPeriod,
  MonthReset,
  Operator,
  ParsedCheckOptions,
  ParsedCompany,
  ParsedFlag,
  ParsedUser,
  RuleType,
  TraitEntityType,
  WarningTier,
  WireCheckOptions,
  WireCompany,
  WireCompanyMetric,
  WireCondition,
  WireConditionGroup,
  WireFeatureEntitlement,
  WireFlag,
  WireRule,
  WireSubscription,
  WireTrait,
  WireTraitDefinition,
  WireUser,
} from './engine';
export { FlagwireError, InvalidEntityError } from './errors';
export type { EntityKind, FlagwireErrorCode } from './errors';
