import type { FlagExplanation } from '../server/engine';
import type { EntityDetail } from '../core/entity-details';
import type { Emitter } from '../core/emitter';
import type { FlagwireError } from '../core/errors';
import type { BrowserFlag } from '../core/snapshot';
import type { VariationDetail } from '../core/values';
import type { ResolvedOptions } from '../core/options';
import type {
  ChangeEvent,
  CheckFlagOptions,
  CheckFlagResult,
  ClientMode,
  ClientStatus,
  EvaluationContext,
  EventMeta,
  IdentifyBody,
  TrackBody,
  UpsertCompanyBody,
  UpsertUserBody,
} from '../core/types';

export interface ClientEvents extends Record<string, unknown> {
  change: ChangeEvent;
  status: ClientStatus;
  error: FlagwireError;
}

/** A source of flags data the local mode reads (the flags file on Node). */
export interface FlagsSource {
  start(): Promise<void>;
  close(): void;
}

/** Makes the client's mode: which modes exist depends on the runtime (Node has them all; the edge has fewer). */
export type ModeFactory = (host: ModeHost) => Mode;

/** What the client shares with its mode: options, events, status and defaults. */
export interface ModeHost {
  readonly options: ResolvedOptions;
  readonly emitter: Emitter<ClientEvents>;
  setStatus(status: ClientStatus): void;
  defaultFor(key: string, options?: CheckFlagOptions): boolean;
}

/** Evaluated flags for one context: what a snapshot reads. `undefined` means the flag is unknown. */
export interface FlagResults {
  keys(): readonly string[];
  result(key: string): CheckFlagResult | undefined;
  /** Only the value, when that is cheaper than the whole result; `undefined` when the flag is unknown. */
  value?(key: string): boolean | undefined;
  /**
   * The flag's value and variation, for sources whose flags may serve more than on/off (the flags file, a
   * browser payload). Without it, or when it answers `undefined`, a flag's variation is read from `result`
   * (an on/off flag's variations are "true" and "false").
   */
  variant?(key: string): VariationDetail | undefined;
  /** The flag exactly as a browser payload carried it, for results read from one. */
  browserFlag?(key: string): BrowserFlag | undefined;
  /** Flags whose values may be sent to browsers. */
  readonly clientKeys: ReadonlySet<string>;
  /** The reason reported for flags these results do not have. */
  readonly missingReason: string;
}

/**
 * Where answers come from: the local flags file, Schematic's API, or nothing (offline). The client wraps
 * every call with defaults, timeouts and error handling, so a mode may throw and may be slow.
 */
export interface Mode {
  readonly name: ClientMode;
  /** Resolves once the mode can answer. */
  whenReady(): Promise<void>;
  check(context: EvaluationContext, key: string, options: CheckFlagOptions | undefined, signal: AbortSignal): Promise<CheckFlagResult>;
  /** The same, answered synchronously when nothing needs waiting for; `null` when it does. */
  checkNow?(context: EvaluationContext, key: string, options: CheckFlagOptions | undefined): CheckFlagResult | null;
  results(context: EvaluationContext, keys: readonly string[] | undefined, signal: AbortSignal): Promise<FlagResults>;
  resultsNow?(context: EvaluationContext): FlagResults | null;
  explain?(context: EvaluationContext, key: string, options: CheckFlagOptions | undefined): Promise<FlagExplanation | null>;
  identify(body: IdentifyBody, meta: EventMeta | undefined): void | Promise<void>;
  track(body: TrackBody, meta: EventMeta | undefined): void | Promise<void>;
  upsertCompany(body: UpsertCompanyBody): Promise<EntityDetail>;
  upsertUser(body: UpsertUserBody): Promise<EntityDetail>;
  /** Drops what is cached about a change that arrived from outside (a webhook), and tells other instances. */
  invalidate?(change: ChangeEvent): Promise<void>;
  close(): Promise<void>;
}
