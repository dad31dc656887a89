/**
 * `flagwire/server`: the server SDK. Everything an app or an adapter uses is exported here by name.
 */
export { LocalCache } from '../api/check-cache';
export { changeFor, parseWebhookEvent, WEBHOOK_ACTIONS } from '../webhooks/events';
export type { CompanyWebhookBody, FlagWebhookBody, UserWebhookBody, WebhookAction, WebhookEvent } from '../webhooks/events';
export { createFetchWebhookHandler, createWebhookHandler } from '../webhooks/handler';
export { deferWebhookHandler } from '../webhooks/defer-handler';
export type { DeferOptions } from '../webhooks/defer-handler';
export type { AfterVerify, WebhookCallbacks, WebhookHandlerOptions, WebhookRequest, WebhookResponse } from '../webhooks/handler';
export { DEFAULT_REPLAY_GUARD_TIMEOUT_MS, MemoryReplayGuard, RedisReplayGuard } from '../webhooks/replay-guard';
export type { RedisReplayGuardOptions, ReplayGuardRedis } from '../webhooks/replay-guard';
export {
  computeSignature,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_TOLERANCE_SECONDS,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifySignature,
  WebhookSignatureError,
} from '../webhooks/signature';
export type { ReplayGuard, VerifyOptions, WebhookSignatureErrorCode } from '../webhooks/signature';
export { verifyWebhookSignature } from '../webhooks/verify-request';
export { bodyRefusal, DEFAULT_BODY_TIMEOUT_MS, RAW_BODY_GONE_HINT, readFetchBody, readRawBody } from '../webhooks/read-body';
export type { RawBody, ReadableRequest } from '../webhooks/read-body';
export type { CacheProvider } from '../api/check-cache';
export { FlagsClient } from '../core/client';
export { createFlagsClient } from './create-client';
export { createReplicator, Replicator } from '../replicator/replicator';
export type { ReplicatorOptions } from '../replicator/replicator';
export type { EntityDetail, TraitValue } from '../core/entity-details';
export { defineFlags } from '../core/define-flags';
export { evaluateFlag, INVALID_ENTITY_REASON } from '../evaluators/schematic/evaluate-flag';
export type { EvaluateFlagOptions } from '../evaluators/schematic/evaluate-flag';
export { NO_RULE_MATCHED, parseCheckOptions, parseCompany, parseFlag, parseUser } from './engine';
export type {
  ComparableType,
  ConditionExplanation,
  ConditionVerdict,
  FlagExplanation,
  RuleExplanation,
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
export {
  dispatchBucket,
  evaluateFeatBitFlag,
  evaluateParsedFeatBitFlag,
  FEATBIT_OPERATORS,
  parseFeatBitFlag,
  parseFeatBitSegment,
  parseFeatBitSegments,
  parseFeatBitUser,
} from '../evaluators/featbit';
export type {
  FeatBitCondition,
  FeatBitCustomizedProperty,
  FeatBitEvaluation,
  FeatBitFallthrough,
  FeatBitFlag,
  FeatBitOperator,
  FeatBitReasonKind,
  FeatBitRolloutVariation,
  FeatBitRule,
  FeatBitSegment,
  FeatBitSegmentRule,
  FeatBitSegments,
  FeatBitSegmentsInput,
  FeatBitTargetUser,
  FeatBitUser,
  FeatBitVariation,
  FeatBitVariationType,
  ParsedFeatBitFlag,
  ParsedFeatBitSegment,
  ParsedFeatBitUser,
} from '../evaluators/featbit';
export { ApiError, FlagsFileError, FlagwireConfigError, FlagwireError, InvalidEntityError } from '../core/errors';
export type { ApiFailure, EntityKind, FlagsFileProblem, FlagwireErrorCode } from '../core/errors';
export { loadFlagsText, MAX_FLAGS_FILE_BYTES } from '../flags-file/load';
export type { FlagsData } from '../flags-file/load';
export type { FlagDeclarations } from '../flags-file/schema';
export { leveledLogger } from '../core/logger';
export type { Logger, LogLevel } from '../core/logger';
export {
  DEFAULT_BASE_PATH,
  DEFAULT_EVENT_CAPTURE_BASE_URL,
  DEFAULT_FLAGS_FILE,
  DEFAULT_START_WAIT_MS,
  DEFAULT_TIMEOUT_MS,
} from '../core/options';
export type { DataStreamOptions, FlagsClientOptions } from '../core/options';
export type { FeatBitOptions } from '../sources/featbit/featbit-options';
export { featBitUserOf } from '../evaluators/featbit/context-user';
export type { RedisClient } from '../store/redis-store';
export { keysOverlap } from '../store/entity-store';
export { REASON_FLAG_DEFAULT, REASON_FLAG_NOT_FOUND, REASON_FROM_SNAPSHOT, REASON_OFFLINE, REASON_TARGETING_KEY_MISSING } from '../core/reasons';
export { FlagsSnapshot } from '../core/snapshot';
export { SNAPSHOT_VERSION } from '../core/payload';
export { htmlSafeJson } from '../core/html-safe-json';
export type { BrowserFlag, FlagEntitlement, SnapshotJSON } from '../core/payload';
export { hasTypeOf, isFlagValue } from '../core/values';
export type { FlagValue, JsonValue, ReasonKind, VariationDetail } from '../core/values';
export type {
  AttributeValue,
  ChangeEvent,
  CheckFlagOptions,
  CheckFlagResult,
  CheckFlagsItem,
  ClientMode,
  ClientStatus,
  EvaluationContext,
  EventMeta,
  DeclaredValue,
  FlagDefault,
  FlagKey,
  FlagValueFor,
  IdentifyBody,
  PreflightOptions,
  Register,
  TrackBody,
  UpsertCompanyBody,
  UpsertResponse,
  UpsertUserBody,
  VariationOf,
  Widened,
} from '../core/types';
