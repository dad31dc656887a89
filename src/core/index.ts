/**
 * The runtime-neutral core every entry shares: the client, snapshots, values, errors and types. `flagwire/server`
 * and `flagwire/edge` re-export these names, each with the way its runtime makes a client.
 */
export { FlagsClient } from './client';
export type { Explanation, ExplainOptions } from './client';
export type { FlagDefinition, FlagVariation } from './definitions';
export type { FlagOverrides } from './overrides';
export { defineFlags } from './define-flags';
export { ApiError, FlagsFileError, FlagwireConfigError, FlagwireError, InvalidEntityError } from './errors';
export type { ApiFailure, EntityKind, FlagsFileProblem, FlagwireErrorCode } from './errors';
export type { EntityDetail, TraitValue } from './entity-details';
export { htmlSafeJson } from './html-safe-json';
export { leveledLogger } from './logger';
export type { Logger, LogLevel } from './logger';
export type { DataStreamOptions, FlagsClientOptions } from './options';
export { SNAPSHOT_VERSION } from './payload';
export type { BrowserFlag, FlagEntitlement, SnapshotJSON } from './payload';
export { INVALID_ENTITY_REASON, REASON_FLAG_DEFAULT, REASON_FLAG_NOT_FOUND, REASON_FROM_SNAPSHOT, REASON_OFFLINE, REASON_OVERRIDDEN, REASON_TARGETING_KEY_MISSING } from './reasons';
export { FlagsSnapshot } from './snapshot';
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
  DeclaredValue,
  EvaluationContext,
  EventMeta,
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
} from './types';
