import { ExposureCounter, type PageViewExposures } from './exposure-counter';
import { defaultResult } from './default-result';
import type { FlagDefinition } from './definitions';
import { type FlagOverrides, overridesFitting, overridesFrom } from './overrides';
import { Emitter } from './emitter';
import { configuredDefault, configuredValue } from './flag-defaults';
import type { FlagExplanation } from '../evaluators/schematic/engine';
import type { EntityDetail } from './entity-details';
import type { Backend, Capture, ClientEvents, EntityWrites, PartsFactory, PartsHost } from './parts';
import type { FlagResults } from './results';
import { withContextPreflight } from './preflight';
import type { ResolvedOptions } from './options';
import { REASON_FLAG_DEFAULT, REASON_OFFLINE, REASON_OVERRIDDEN } from './reasons';
import { FlagsSnapshot } from './snapshot';
import type {
  ChangeEvent,
  CheckFlagOptions,
  CheckFlagResult,
  CheckFlagsItem,
  ClientMode,
  ClientStatus,
  EvaluationContext,
  EventMeta,
  FlagKey,
  FlagValueFor,
  IdentifyBody,
  TrackBody,
  UpsertCompanyBody,
  UpsertResponse,
  UpsertUserBody,
  VariationOf,
} from './types';
import type { FlagValue, VariationDetail } from './values';
import { chooseVariation, servedOrDefault } from './choose-variation';
import { detailOfResult } from './detail-of-result';
import { FailureLog } from './internal/failure-log';
import { closeWithin, within, withinAborting } from './within';

/**
 * The one object an app holds. It answers from a mode — the local flags file (no API key), Schematic's API
 * (an API key), or flag defaults only (`offline`) — and gives every answer the same guarantees: checks
 * never throw, never wait past their timeout, and fall back to the flag's default.
 */
export class FlagsClient {
  readonly mode: ClientMode;
  private readonly options: ResolvedOptions;
  private readonly emitter: Emitter<ClientEvents>;
  private readonly backend: Backend;
  private readonly capture: Capture;
  private readonly writes: EntityWrites;
  private currentStatus: ClientStatus = 'initializing';
  /** Made once: every snapshot reads configured defaults (of any type) through it. */
  private readonly defaultForKey = (key: string): FlagValue => configuredValue(this.options.flagDefaults, key);
  /** Made once too: a snapshot names an overridden value's variation through it. */
  private readonly definitionForKey = (key: string): FlagDefinition | undefined => {
    try {
      return this.backend.definition?.(key);
    } catch {
      return undefined;
    }
  };
  /** Exposures, when `onExposures` is given. */
  private readonly exposures: ExposureCounter | null;
  private readonly failures: FailureLog;

  /**
   * Company and user upserts, named and shaped as in Schematic's SDK: the entity is the response's `data`.
   * They throw (`ApiError`, `InvalidEntityError`) on failure.
   */
  readonly companies = {
    upsertCompany: async (body: UpsertCompanyBody): Promise<UpsertResponse<EntityDetail>> => ({ data: await this.writes.upsertCompany(body), params: {} }),
    upsertUser: async (body: UpsertUserBody): Promise<UpsertResponse<EntityDetail>> => ({ data: await this.writes.upsertUser(body), params: {} }),
  };

  /** Use `createFlagsClient` (Node) or `createEdgeFlagsClient` (edge runtimes): they validate options and pick the parts. */
  constructor(options: ResolvedOptions, makeParts: PartsFactory) {
    this.options = options;
    this.failures = new FailureLog(options.logger);
    this.mode = options.mode;
    this.emitter = new Emitter((error) => options.logger.error('a listener threw', error));
    const host: PartsHost = {
      options,
      emitter: this.emitter,
      setStatus: (status) => this.setStatus(status),
      defaultFor: (key, callOptions) => this.defaultFor(key, callOptions),
    };
    const parts = makeParts(host);
    this.backend = parts.backend;
    this.capture = parts.capture;
    this.writes = parts.writes;
    this.exposures = options.onExposures === null ? null : new ExposureCounter(options.onExposures, options.logger, options.now);
  }

  get status(): ClientStatus {
    return this.currentStatus;
  }

  /** Resolves once the client can answer, or after `startWaitMs` with loading still going on (checks serve defaults meanwhile). */
  async ready(): Promise<ClientStatus> {
    await within(this.backend.whenReady(), this.options.startWaitMs, () => undefined);
    return this.currentStatus;
  }

  checkFlag(context: EvaluationContext, key: FlagKey, options?: CheckFlagOptions): Promise<boolean> {
    // Not an async function: an answer at hand costs one settled promise, not one per layer.
    const value = this.valueAtOnce(context, key, options);
    if (value !== null) return Promise.resolve(value);
    const now = this.checkAtOnce(context, key, options);
    return now !== null ? Promise.resolve(now.value) : this.checkFlagWithEntitlement(context, key, options).then(valueOfResult);
  }

  /** A check's value alone when it needs no waiting and nothing else (no preflight on the context); `null` otherwise. */
  private valueAtOnce(context: EvaluationContext, key: FlagKey, options: CheckFlagOptions | undefined): boolean | null {
    if (this.currentStatus === 'closed' || context?.preflight != null) return null;
    try {
      return this.backend.valueNow?.(context, key, options) ?? null;
    } catch {
      // The whole check runs again and reports the failure.
      return null;
    }
  }

  /** The full outcome of one check: value, reason, rule, entitlement and usage. Never throws; never waits past its timeout. */
  async checkFlagWithEntitlement(givenContext: EvaluationContext, key: FlagKey, givenOptions?: CheckFlagOptions): Promise<CheckFlagResult> {
    const now = this.checkAtOnce(givenContext, key, givenOptions);
    if (now !== null) return now;
    const { context, options } = withContextPreflight(givenContext, givenOptions);
    try {
      return await this.bounded(options?.timeoutMs, (signal) => this.backend.check(context, key, options, signal), () => this.fallbackResult(key, options));
    } catch (error) {
      return this.failedCheck(key, options, error);
    }
  }

  /** A check's outcome when it needs no waiting (closed, or flags and entities in memory); `null` when it must wait. */
  private checkAtOnce(givenContext: EvaluationContext, key: FlagKey, givenOptions: CheckFlagOptions | undefined): CheckFlagResult | null {
    // Preflight given on the context (as Schematic's SDK takes it) reaches every mode through the options.
    const { context, options } = withContextPreflight(givenContext, givenOptions);
    if (this.currentStatus === 'closed') return this.fallbackResult(key, options);
    try {
      return this.backend.checkNow?.(context, key, options) ?? null;
    } catch (error) {
      return this.failedCheck(key, options, error);
    }
  }

  private fallbackResult(key: FlagKey, options: CheckFlagOptions | undefined, err: string | null = null): CheckFlagResult {
    return defaultResult(key, this.defaultFor(key, options), REASON_FLAG_DEFAULT, err);
  }

  private failedCheck(key: FlagKey, options: CheckFlagOptions | undefined, error: unknown): CheckFlagResult {
    this.failures.report(`check of flag "${key}"`, error);
    return this.fallbackResult(key, options, String((error as Error)?.message ?? error));
  }

  /** Several flags for one context (all flags when `keys` is omitted), with one lookup or one API call. */
  async checkFlags(context: EvaluationContext, keys?: readonly FlagKey[]): Promise<CheckFlagsItem[]> {
    return (await this.checkSeveral(context, keys)).map(asCheckFlagsItem);
  }

  private async checkSeveral(context: EvaluationContext, keys: readonly FlagKey[] | undefined): Promise<CheckFlagResult[]> {
    if (this.mode === 'offline') return (keys ?? []).map((key) => defaultResult(key, this.defaultFor(key), REASON_OFFLINE));
    try {
      const results = await this.bounded(undefined, (signal) => this.backend.results(context, keys, signal), () => null);
      if (results === null) return (keys ?? []).map((key) => defaultResult(key, this.defaultFor(key), REASON_FLAG_DEFAULT));
      const snapshot = new FlagsSnapshot(results, this.defaultForKey, this.definitionForKey);
      return (keys ?? snapshot.keys()).map((key) => snapshot.detail(key));
    } catch (error) {
      this.failures.report('flag checks', error);
      return (keys ?? []).map((key) => defaultResult(key, this.defaultFor(key), `Error occurred - using default value: ${(error as Error)?.message ?? error}`));
    }
  }

  /**
   * A flag's value when it has the type of `defaultValue` (string, number, boolean or JSON), else the default.
   * Typed by the registered flag, or by the default. Never throws; never waits past its timeout.
   */
  variation<K extends FlagKey, D extends FlagValueFor<K>>(context: EvaluationContext, key: K, defaultValue: D, options?: { timeoutMs?: number }): Promise<VariationOf<K, D>> {
    // The value alone, when it is at hand: no detail (reason text, rule) made only to be dropped, and for a flag
    // with variations, no snapshot either.
    const variant = this.variantNow(context, key);
    if (variant !== undefined) return Promise.resolve(servedOrDefault(variant, defaultValue) as VariationOf<K, D>);
    const snapshot = this.snapshotNow(context);
    if (snapshot !== null) return Promise.resolve(snapshot.variation(key, defaultValue));
    return this.variationDetail(context, key, defaultValue, options).then(valueOfDetail);
  }

  /** The value with its variation, reason kind (`rule_match`, `fallthrough`, `wrong_type`, …), reason text, rule and rollout bucket. */
  async variationDetail<K extends FlagKey, D extends FlagValueFor<K>>(
    context: EvaluationContext,
    key: K,
    defaultValue: D,
    options?: { timeoutMs?: number },
  ): Promise<VariationDetail<VariationOf<K, D>>> {
    // Sources with variations (the flags file) answer through a snapshot; Schematic's are on/off, checked one by one.
    const snapshot = this.snapshotNow(context) ?? (this.mode === 'local' ? await this.snapshot(context, options) : null);
    if (snapshot) return snapshot.variationDetail(key, defaultValue);
    const booleanDefault = typeof defaultValue === 'boolean' ? defaultValue : undefined;
    const result = await this.checkFlagWithEntitlement(context, key, { timeoutMs: options?.timeoutMs, defaultValue: booleanDefault });
    return chooseVariation(key, detailOfResult(result), defaultValue, { kind: 'default', reason: result.reason }) as VariationDetail<VariationOf<K, D>>;
  }

  /** Every flag's value for one context, as `{ key: value }`, from one lookup. */
  async allFlags(context: EvaluationContext, options?: { timeoutMs?: number }): Promise<Record<string, FlagValue>> {
    return (await this.snapshot(context, options)).all();
  }

  /**
   * The flags of one request: looked up once, here (one store lookup locally, one API call in API mode);
   * every read on the snapshot is then synchronous. Never throws; past the timeout it serves defaults.
   */
  snapshot(context: EvaluationContext = {}, options: { timeoutMs?: number } = {}): Promise<FlagsSnapshot> {
    // Not an async function: a snapshot at hand costs one settled promise, not one per layer.
    if (this.currentStatus === 'closed') return Promise.resolve(this.defaultsSnapshot());
    try {
      const now = this.backend.resultsNow?.(context) ?? null;
      if (now !== null) return Promise.resolve(new FlagsSnapshot(now, this.defaultForKey, this.definitionForKey));
    } catch (error) {
      return Promise.resolve(this.failedSnapshot(error));
    }
    return this.snapshotLater(context, options);
  }

  private async snapshotLater(context: EvaluationContext, options: { timeoutMs?: number }): Promise<FlagsSnapshot> {
    try {
      const results = await this.bounded(options.timeoutMs, (signal) => this.backend.results(context, undefined, signal), () => null);
      return results === null ? this.defaultsSnapshot() : new FlagsSnapshot(results, this.defaultForKey, this.definitionForKey);
    } catch (error) {
      return this.failedSnapshot(error);
    }
  }

  private failedSnapshot(error: unknown): FlagsSnapshot {
    this.failures.report('snapshot', error);
    return this.defaultsSnapshot();
  }

  private variantNow(context: EvaluationContext, key: string): VariationDetail | undefined {
    if (this.currentStatus === 'closed') return undefined;
    try {
      return this.backend.variantNow?.(context, key);
    } catch {
      return undefined;
    }
  }

  /**
   * The snapshot without waiting, when the client can answer at once (flags loaded, entities in memory);
   * `null` when `snapshot()` must be awaited. Adapters use it to keep the common request path synchronous.
   */
  snapshotNow(context: EvaluationContext = {}): FlagsSnapshot | null {
    if (this.currentStatus === 'closed') return this.defaultsSnapshot();
    try {
      const results = this.backend.resultsNow?.(context) ?? null;
      return results === null ? null : new FlagsSnapshot(results, this.defaultForKey, this.definitionForKey);
    } catch {
      return null;
    }
  }

  /**
   * Every rule the check of `key` considers for this context, in order, with each condition's verdict.
   * Local mode only; `null` when the flag is unknown or flags are not loaded. With `overrides` (what the
   * request's overrides cookie holds) an overridden flag says so in `override`: its rules are still explained,
   * as what would apply without it.
   */
  async explain(givenContext: EvaluationContext, key: FlagKey, givenOptions?: ExplainOptions): Promise<Explanation | null> {
    if (!this.backend.explain) return null;
    const { overrides: given, ...checkOptions } = givenOptions ?? {};
    const { context, options } = withContextPreflight(givenContext, checkOptions);
    const explanation = await within(this.backend.explain(context, key, options), options?.timeoutMs ?? this.options.timeoutMs, () => null);
    // As a snapshot takes them: only a value of the flag's type overrides it.
    const overrides = overridesFitting(overridesFrom(given), this.definitionForKey);
    if (explanation === null || !Object.hasOwn(overrides, key)) return explanation;
    return { ...explanation, override: { value: overrides[key] as FlagValue, reason: REASON_OVERRIDDEN } };
  }

  /**
   * Every flag the client holds now, as tools show them (Flags Explorer, the toolbar, `flagwire types`): key,
   * description, the values it can serve and whether browsers may see it. Empty until flags are loaded, and in
   * Schematic API and offline modes, where no flag is held here.
   */
  flagDefinitions(): readonly FlagDefinition[] {
    try {
      return this.backend.definitions?.() ?? [];
    } catch (error) {
      this.failures.report('flag definitions', error);
      return [];
    }
  }

  /** Identifies a user (and their company). Never throws, never waits for the network. */
  identify(body: IdentifyBody, meta?: EventMeta): Promise<void> {
    return this.applyEvent('identify', () => {
      this.capture.identify(body, meta);
      return this.writes.identify(body);
    });
  }

  /** Records usage of an event (`quantity`, default 1). Never throws, never waits for the network. */
  track(body: TrackBody, meta?: EventMeta): Promise<void> {
    return this.applyEvent('track', () => {
      this.capture.track(body, meta);
      return this.writes.track(body);
    });
  }

  /** Runs an event call on the caller's path without an async frame: errors are logged, never thrown. */
  private applyEvent(name: string, apply: () => void | Promise<void>): Promise<void> {
    try {
      const pending = apply();
      return pending ? pending.catch((error: unknown) => this.options.logger.error(`${name} was not applied`, error)) : RESOLVED;
    } catch (error) {
      this.options.logger.error(`${name} was not applied`, error);
      return RESOLVED;
    }
  }

  /**
   * Tells the client that something changed outside the data it watches (a webhook): cached answers about it
   * are dropped, other instances sharing Redis are told, and `change` is emitted for live channels.
   */
  async invalidate(change: ChangeEvent): Promise<void> {
    await this.backend.invalidate?.(change);
    this.emitter.emit('change', change);
  }

  /** Whether exposures are counted: `onExposures` was given. Adapters watch reads only then. */
  get countsExposures(): boolean {
    return this.exposures !== null;
  }

  /**
   * One page view's exposures on the server: `snapshot` as that page view's, its reads counted, and `flush()`,
   * which hands them to `onExposures` (call it once the response is sent: Express's `close`, Next's `after()`).
   * `null` when exposures are not counted, so the request path pays nothing.
   */
  exposuresOf(snapshot: FlagsSnapshot, context: EvaluationContext): PageViewExposures | null {
    return this.exposures?.pageView(snapshot, context) ?? null;
  }

  /**
   * Counts what a browser reports it showed (the body flagwire/react's provider posts): who saw it comes from
   * `context` (the request's, never the body), and only flags the browser may be sent, with values they serve,
   * count. A page view's flag and value that the server already counted (or an earlier report did) is not
   * counted again. Never throws.
   */
  async reportBrowserExposures(body: unknown, context: EvaluationContext): Promise<{ counted: number } | { problem: string }> {
    if (this.exposures === null) return { problem: 'exposures are not counted here: give createFlagsClient({ onExposures })' };
    return this.exposures.fromBrowser(body, this.flagDefinitions(), context);
  }

  /** Listens for changes (flags reloaded, a company or user updated); returns the unsubscribe function. */
  subscribe(listener: (event: ChangeEvent) => void): () => void {
    return this.emitter.on('change', listener);
  }

  on<E extends keyof ClientEvents>(event: E, listener: (payload: ClientEvents[E]) => void): () => void {
    return this.emitter.on(event, listener);
  }

  /**
   * Delivers queued events (until `closeTimeoutMs`), stops background work, and answers every later check
   * with its default. Resolves by `closeTimeoutMs` + 2 s whatever the mode's parts do. Idempotent.
   */
  async close(): Promise<void> {
    if (this.currentStatus === 'closed') return;
    this.setStatus('closed');
    const boundMs = this.options.closeTimeoutMs + CLOSE_GRACE_MS;
    try {
      // Side by side: queued events start draining at once, even while a stalled Redis holds the backend.
      const stopping = [this.backend.close(), this.capture.close(this.options.closeTimeoutMs), this.exposures?.settled()];
      const finished = await closeWithin(Promise.all(stopping).then(() => undefined), boundMs);
      if (!finished) this.options.logger.error(`close() stopped waiting after ${boundMs} ms: the ${this.mode} mode had not finished stopping; events it still held may be lost`);
    } finally {
      this.emitter.clear();
    }
  }

  private defaultFor(key: string, options?: CheckFlagOptions): boolean {
    const given = options?.defaultValue;
    if (given !== undefined) return typeof given === 'function' ? given() : given;
    return configuredDefault(this.options.flagDefaults, key);
  }

  private defaultsSnapshot(): FlagsSnapshot {
    const empty: FlagResults = { keys: () => [], result: () => undefined, clientKeys: this.options.clientFlags, missingReason: REASON_FLAG_DEFAULT };
    return new FlagsSnapshot(empty, this.defaultForKey);
  }

  /** Runs mode work under the call's deadline: past it, `fallback`, and the work is told to stop. */
  private bounded<T>(timeoutMs: number | undefined, work: (signal: AbortSignal) => Promise<T>, fallback: () => T): Promise<T> {
    return withinAborting(work, timeoutMs ?? this.options.timeoutMs, fallback);
  }

  private setStatus(status: ClientStatus): void {
    if (this.currentStatus === status || this.currentStatus === 'closed') return;
    this.currentStatus = status;
    this.emitter.emit('status', status);
  }
}

/** `explain`'s options: a check's, and the overrides the request carries. */
export interface ExplainOptions extends CheckFlagOptions {
  overrides?: FlagOverrides | Readonly<Record<string, unknown>>;
}

/** What `explain` answers: every rule considered, and the override that wins over them when there is one. */
export type Explanation = FlagExplanation & { readonly override?: { readonly value: FlagValue; readonly reason: string } };

const RESOLVED: Promise<void> = Promise.resolve();

function asCheckFlagsItem(result: CheckFlagResult): CheckFlagsItem {
  return result.err === null ? { ...result, flag: result.flagKey } : { ...result, flag: result.flagKey, error: result.err };
}

/** How much longer than `closeTimeoutMs` close() gives the mode's other parts (sockets, Redis) to stop. */
const CLOSE_GRACE_MS = 2_000;

const valueOfResult = (result: CheckFlagResult): boolean => result.value;
const valueOfDetail = <V extends FlagValue>(detail: VariationDetail<V>): V => detail.value;
