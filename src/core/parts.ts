import type { FlagDefinition } from './definitions';
import type { Emitter } from './emitter';
import type { FlagwireError } from './errors';
import type { FlagExplanation } from '../evaluators/schematic/engine';
import type { EntityDetail } from './entity-details';
import type { ResolvedOptions } from './options';
import type { FlagResults } from './results';
import type { VariationDetail } from './values';
import type {
  ChangeEvent,
  CheckFlagOptions,
  CheckFlagResult,
  ClientStatus,
  EvaluationContext,
  EventMeta,
  IdentifyBody,
  TrackBody,
  UpsertCompanyBody,
  UpsertUserBody,
} from './types';

/**
 * The client's parts: where answers come from (a backend), where events go (capture), and who stores what
 * identify, track and upserts say (entity writes). The client wraps them with defaults, timeouts and error
 * handling, so a part may throw and may be slow; each runtime's factory picks them from the options.
 */

export interface ClientEvents extends Record<string, unknown> {
  change: ChangeEvent;
  status: ClientStatus;
  error: FlagwireError;
}

/** What the client shares with its parts: options, events, status and defaults. */
export interface PartsHost {
  readonly options: ResolvedOptions;
  readonly emitter: Emitter<ClientEvents>;
  setStatus(status: ClientStatus): void;
  defaultFor(key: string, options?: CheckFlagOptions): boolean;
}

/** Where answers come from: flags evaluated in-process from a source, Schematic's REST API, or nothing (offline). */
export interface Backend {
  /** Resolves once the backend can answer (or has given up waiting: then it answers defaults). */
  whenReady(): Promise<void>;
  check(context: EvaluationContext, key: string, options: CheckFlagOptions | undefined, signal: AbortSignal): Promise<CheckFlagResult>;
  /** The same, answered synchronously when nothing needs waiting for; `null` when it does. */
  checkNow?(context: EvaluationContext, key: string, options: CheckFlagOptions | undefined): CheckFlagResult | null;
  /** The value alone of `checkNow`, when nothing needs the whole result (no preflight, no check events); `null` otherwise. */
  valueNow?(context: EvaluationContext, key: string, options: CheckFlagOptions | undefined): boolean | null;
  results(context: EvaluationContext, keys: readonly string[] | undefined, signal: AbortSignal): Promise<FlagResults>;
  resultsNow?(context: EvaluationContext): FlagResults | null;
  /** One flag's variation, answered synchronously without a snapshot; `undefined` when it must be read through one. */
  variantNow?(context: EvaluationContext, key: string): VariationDetail | undefined;
  explain?(context: EvaluationContext, key: string, options: CheckFlagOptions | undefined): Promise<FlagExplanation | null>;
  /** The flags it holds now, as tools show them; none when it evaluates elsewhere (Schematic's API). */
  definitions?(): readonly FlagDefinition[];
  /** One of them; `undefined` for a flag it does not hold. */
  definition?(key: string): FlagDefinition | undefined;
  /** Drops what is cached about a change that arrived from outside (a webhook), and tells other instances. */
  invalidate?(change: ChangeEvent): Promise<void>;
  close(): Promise<void>;
}

/** Where identify and track events go (Schematic's capture service, FeatBit's insights), batched and retried. */
export interface Capture {
  identify(body: IdentifyBody, meta: EventMeta | undefined): void;
  track(body: TrackBody, meta: EventMeta | undefined): void;
  /** Delivers what is queued within the deadline and says what was lost. */
  close(deadlineMs: number): Promise<void>;
}

/** Who keeps companies and users: the in-memory store (the flags file), Schematic's API, or nobody. */
export interface EntityWrites {
  identify(body: IdentifyBody): void | Promise<void>;
  track(body: TrackBody): void | Promise<void>;
  upsertCompany(body: UpsertCompanyBody): Promise<EntityDetail>;
  upsertUser(body: UpsertUserBody): Promise<EntityDetail>;
}

export interface ClientParts {
  readonly backend: Backend;
  readonly capture: Capture;
  readonly writes: EntityWrites;
}

/** Makes the client's parts: which exist depends on the runtime (Node has them all; the edge has fewer). */
export type PartsFactory = (host: PartsHost) => ClientParts;
