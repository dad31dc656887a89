/**
 * `flagwire/server`: the server SDK. Everything an app or an adapter uses is exported here by name.
 */
export { LocalCache } from './api/check-cache';
export { changeFor, parseWebhookEvent, WEBHOOK_ACTIONS } from './webhooks/events';
export type { CompanyWebhookBody, FlagWebhookBody, UserWebhookBody, WebhookAction, WebhookEvent } from './webhooks/events';
export { createFetchWebhookHandler, createWebhookHandler } from './webhooks/handler';
export { deferWebhookHandler } from './webhooks/defer-handler';
export type { DeferOptions } from './webhooks/defer-handler';
export type { AfterVerify, WebhookCallbacks, WebhookHandlerOptions, WebhookRequest, WebhookResponse } from './webhooks/handler';
export { DEFAULT_REPLAY_GUARD_TIMEOUT_MS, MemoryReplayGuard, RedisReplayGuard } from './webhooks/replay-guard';
export type { RedisReplayGuardOptions, ReplayGuardRedis } from './webhooks/replay-guard';
export {
  computeSignature,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_TOLERANCE_SECONDS,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifySignature,
  WebhookSignatureError,
} from './webhooks/signature';
export type { ReplayGuard, VerifyOptions, WebhookSignatureErrorCode } from './webhooks/signature';
export { verifyWebhookSignature } from './webhooks/verify-request';
export { bodyRefusal, DEFAULT_BODY_TIMEOUT_MS, RAW_BODY_GONE_HINT, readFetchBody, readRawBody } from './webhooks/read-body';
export type { RawBody, ReadableRequest } from './webhooks/read-body';
export type { CacheProvider } from './api/check-cache';
export { FlagsClient } from './client';
export { createFlagsClient } from './create-client';
export { createReplicator, Replicator } from './replicator/replicator';
export type { ReplicatorOptions } from './replicator/replicator';
export type { EntityDetail, TraitValue } from './entity-details';
export { defineFlags } from './define-flags';
export { evaluateFlag, INVALID_ENTITY_REASON } from './evaluate-flag';
export type { EvaluateFlagOptions } from './evaluate-flag';
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
} from './featbit';
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
} from './featbit';
export { ApiError, FlagsFileError, FlagwireConfigError, FlagwireError, InvalidEntityError } from './errors';
export type { ApiFailure, EntityKind, FlagsFileProblem, FlagwireErrorCode } from './errors';
export { loadFlagsText, MAX_FLAGS_FILE_BYTES } from './flags-file/load';
export type { FlagsData } from './flags-file/load';
export type { FlagDeclarations } from './flags-file/schema';
export { leveledLogger } from './logger';
export type { Logger, LogLevel } from './logger';
export {
  DEFAULT_BASE_PATH,
  DEFAULT_EVENT_CAPTURE_BASE_URL,
  DEFAULT_FLAGS_FILE,
  DEFAULT_START_WAIT_MS,
  DEFAULT_TIMEOUT_MS,
} from './options';
export type { DataStreamOptions, FlagsClientOptions } from './options';
export type { FeatBitOptions } from './featbit-source/featbit-options';
export { featBitUserOf } from './featbit-source/context-user';
export type { RedisClient } from './store/redis-store';
export { keysOverlap } from './store/entity-store';
export { REASON_FLAG_DEFAULT, REASON_FLAG_NOT_FOUND, REASON_FROM_SNAPSHOT, REASON_OFFLINE, REASON_TARGETING_KEY_MISSING } from './reasons';
export { FlagsSnapshot, SNAPSHOT_VERSION } from './snapshot';
export { htmlSafeJson } from './html-safe-json';
export type { BrowserFlag, FlagEntitlement, SnapshotJSON } from './snapshot';
export { hasTypeOf, isFlagValue } from './values';
export type { FlagValue, JsonValue, ReasonKind, VariationDetail } from './values';
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
} from './types';
