/**
 * `flagwire/featbit`: FeatBit's evaluator, native and pure — for tools and tests that evaluate FeatBit flags
 * without a client: `evaluateFeatBitFlag` on FeatBit's wire JSON, the parsed-form entry points, its dispatch,
 * and how flagwire's context becomes a FeatBit user. Apps use `flagwire/server` (its `featbit` option).
 */
export { featBitUserOf } from '../evaluators/featbit/context-user';
export { dispatchBucket } from '../evaluators/featbit/dispatch';
export { evaluateParsedFeatBitFlag } from '../evaluators/featbit/evaluate';
export { evaluateFeatBitFlag } from '../evaluators/featbit/evaluate-featbit-flag';
export type { FeatBitSegmentsInput } from '../evaluators/featbit/evaluate-featbit-flag';
export { FEATBIT_OPERATORS } from '../evaluators/featbit/operators';
export type { FeatBitOperator } from '../evaluators/featbit/operators';
export { parseFeatBitFlag } from '../evaluators/featbit/parse-flag';
export { parseFeatBitSegment, parseFeatBitSegments } from '../evaluators/featbit/parse-segment';
export { parseFeatBitUser } from '../evaluators/featbit/parse-user';
export type { FeatBitSegments, ParsedFeatBitFlag, ParsedFeatBitSegment, ParsedFeatBitUser } from '../evaluators/featbit/parsed-types';
export type { FeatBitEvaluation, FeatBitReasonKind } from '../evaluators/featbit/result';
export type {
  FeatBitCondition,
  FeatBitCustomizedProperty,
  FeatBitFallthrough,
  FeatBitFlag,
  FeatBitRolloutVariation,
  FeatBitRule,
  FeatBitSegment,
  FeatBitSegmentRule,
  FeatBitTargetUser,
  FeatBitUser,
  FeatBitVariation,
  FeatBitVariationType,
} from '../evaluators/featbit/wire-types';
