/**
 * `flagwire/engine`: Schematic's rules engine, native and pure — for tools and tests that evaluate flags
 * without a client: `evaluateFlag` on DataStream's wire JSON (the WASM engine's result shape, reason texts
 * included), the parsers, and the wire and parsed types; and `loadFlagsText`, which reads a flags file's text into
 * what a client evaluates, with every problem located (the client reads its file by itself). Apps use `flagwire/server`.
 */
export { evaluateFlag, INVALID_ENTITY_REASON } from '../evaluators/schematic/evaluate-flag';
export type { EvaluateFlagOptions } from '../evaluators/schematic/evaluate-flag';
export { NO_RULE_MATCHED, parseCheckOptions, parseCompany, parseFlag, parseUser } from '../evaluators/schematic/engine';
export type {
  ComparableType,
  ConditionExplanation,
  ConditionType,
  ConditionVerdict,
  Entitlement,
  EntitlementValueType,
  EvaluationResult,
  FlagExplanation,
  MetricPeriod,
  MonthReset,
  Operator,
  ParsedCheckOptions,
  ParsedCompany,
  ParsedFlag,
  ParsedUser,
  RuleExplanation,
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
} from '../evaluators/schematic/engine';
export { loadFlagsText } from '../flags-file/load';
export type { FlagsData } from '../flags-file/flags-data';
