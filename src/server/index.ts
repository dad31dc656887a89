/**
 * `flagwire/server`: the server SDK. What an app uses, by name: the client and its snapshots, values and types,
 * errors, the replicator role, and webhook endpoints. Schematic's rules engine (`flagwire/engine`), FeatBit's
 * evaluator (`flagwire/featbit`) and the parts of a webhook endpoint (`flagwire/webhooks`) have entries of their own.
 */
export {
  ApiError,
  defineFlags,
  FlagsClient,
  FlagsFileError,
  FlagsSnapshot,
  FlagwireConfigError,
  FlagwireError,
  hasTypeOf,
  htmlSafeJson,
  INVALID_ENTITY_REASON,
  InvalidEntityError,
  isFlagValue,
  leveledLogger,
  REASON_FLAG_DEFAULT,
  REASON_FLAG_NOT_FOUND,
  REASON_FROM_SNAPSHOT,
  REASON_OFFLINE,
  REASON_OVERRIDDEN,
  REASON_TARGETING_KEY_MISSING,
  SNAPSHOT_VERSION,
} from '../core';
export type {
  ApiFailure,
  AttributeValue,
  BrowserFlag,
  ChangeEvent,
  CheckFlagOptions,
  CheckFlagResult,
  CheckFlagsItem,
  ClientMode,
  ClientStatus,
  DataStreamOptions,
  DeclaredValue,
  EntityDetail,
  EntityKind,
  EvaluationContext,
  EventMeta,
  FlagDefault,
  FlagDefinition,
  FlagEntitlement,
  FlagKey,
  FlagOverrides,
  FlagsClientOptions,
  FlagsFileProblem,
  FlagValue,
  FlagValueFor,
  FlagwireErrorCode,
  IdentifyBody,
  JsonValue,
  Logger,
  LogLevel,
  PreflightOptions,
  ReasonKind,
  Register,
  SnapshotJSON,
  TraitValue,
  TrackBody,
  UpsertCompanyBody,
  UpsertResponse,
  UpsertUserBody,
  VariationDetail,
  VariationOf,
} from '../core';
export { createFlagsClient } from './create-client';
export { LocalCache } from '../api/check-cache';
export type { CacheProvider } from '../api/check-cache';
export type { FlagExplanation } from '../evaluators/schematic/engine';
export { MAX_FLAGS_FILE_BYTES } from '../flags-file/size-limit';
export type { Exposure } from '../core/exposures';
export type { FlagDeclarations, SegmentDeclarations } from '../flags-file/schema';
export { createReplicator, Replicator } from '../replicator/replicator';
export type { ReplicatorOptions } from '../replicator/replicator';
export type { FeatBitOptions } from '../sources/featbit/featbit-options';
export { keysOverlap } from '../store/entity-store';
export type { RedisClient } from '../store/redis-store';
export { parseWebhookEvent } from '../webhooks/events';
export type { WebhookAction, WebhookEvent } from '../webhooks/events';
export { createFetchWebhookHandler, createWebhookHandler } from '../webhooks/handler';
export type { WebhookCallbacks, WebhookHandlerOptions } from '../webhooks/handler';
export { MemoryReplayGuard, RedisReplayGuard } from '../webhooks/replay-guard';
export type { RedisReplayGuardOptions } from '../webhooks/replay-guard';
export { verifySignature, WebhookSignatureError } from '../webhooks/signature';
export type { ReplayGuard, VerifyOptions, WebhookSignatureErrorCode } from '../webhooks/signature';
export { verifyWebhookSignature } from '../webhooks/verify-request';
