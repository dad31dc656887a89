import { defaultResult } from './default-result';
import { Emitter } from './emitter';
import {
  evaluate,
  explain,
  type FlagExplanation,
  parseCheckOptions,
  type ParsedCheckOptions,
  type ParsedFlag,
  type Subjects,
  type WireCompany,
  type WireTraitDefinition,
  type WireUser,
} from './engine';
import { type FlagwireError, InvalidEntityError } from './errors';
import { changedFlagKeys, collectTraitDefinitions } from './flags-file/changes';
import { type FlagsData, loadFlagsText } from './flags-file/load';
import { detailOf, type EntityDetail, hasKeys, validKeys } from './entity-details';
import { within } from './within';
import { type EntityUpdate, inferredDefinition, trackedCompany, updatedCompany, updatedUser } from './local-entities';
import { type FlagsClientOptions, type ResolvedOptions, resolveOptions } from './options';
import { REASON_FLAG_DEFAULT, REASON_FLAG_NOT_FOUND, REASON_OFFLINE } from './reasons';
import { FlagsSnapshot } from './snapshot';
import { LocalFileSource } from './sources/local-file-source';
import type { EntityStore } from './store/entity-store';
import { MemoryStore } from './store/memory-store';
import type {
  ChangeEvent,
  CheckFlagOptions,
  CheckFlagResult,
  ClientMode,
  ClientStatus,
  EvaluationContext,
  EventMeta,
  FlagKey,
  IdentifyBody,
  TrackBody,
  UpsertCompanyBody,
  UpsertUserBody,
} from './types';

interface ClientEvents extends Record<string, unknown> {
  change: ChangeEvent;
  status: ClientStatus;
  error: FlagwireError;
}

const NO_SUBJECTS: Subjects = { company: null, user: null, options: null };
const EMPTY_FLAGS: ReadonlyMap<string, ParsedFlag> = new Map();

/**
 * The one object an app holds. On its embedded default it evaluates a local flags file in-process, keeping
 * companies and users in memory; `offline` serves flag defaults with no I/O at all.
 */
export class FlagsClient {
  readonly mode: ClientMode;
  private readonly options: ResolvedOptions;
  private readonly store: EntityStore;
  private readonly emitter: Emitter<ClientEvents>;
  private readonly source: LocalFileSource | null = null;
  private data: FlagsData | null = null;
  private currentStatus: ClientStatus = 'initializing';
  private markLoaded!: () => void;
  private readonly loaded = new Promise<void>((resolve) => (this.markLoaded = resolve));
  private readonly seededEntities = new Map<string, string>();
  /** Set once the first load failed or the start wait ran out: checks stop waiting for data and serve defaults. */
  private stopWaiting = false;
  private traitDefinitions = new Map<string, WireTraitDefinition>();
  /** Flags whose values may reach browsers: the file's `client: true` flags plus the `clientFlags` option. */
  private clientKeys: ReadonlySet<string>;

  /** The client's public API for companies and users, named as in Schematic's SDK. */
  readonly companies = {
    upsertCompany: (body: UpsertCompanyBody): Promise<EntityDetail> => this.upsert('company', body),
    upsertUser: (body: UpsertUserBody): Promise<EntityDetail> => this.upsert('user', body),
  };

  constructor(options: ResolvedOptions) {
    this.options = options;
    this.mode = options.mode;
    this.store = new MemoryStore({ maxEntities: options.maxEntities });
    this.clientKeys = options.clientFlags;
    this.emitter = new Emitter((error) => options.logger.error('a change listener threw', error));
    if (options.mode === 'offline') {
      this.setStatus('ready');
      this.markLoaded();
      return;
    }
    const startWait = setTimeout(() => (this.stopWaiting = true), options.startWaitMs);
    startWait.unref?.();
    if (options.inlineFlags) {
      try {
        void this.applyData(loadFlagsText(JSON.stringify({ flags: options.inlineFlags }), '<flags option>'));
      } catch (error) {
        this.reportSourceError(error as FlagwireError);
      }
      return;
    }
    this.source = new LocalFileSource({
      file: options.flagsFile,
      watch: options.watch,
      onData: (data) => void this.applyData(data),
      onError: (error) => this.reportSourceError(error),
    });
    void this.source.start();
  }

  /** Data, or the wait for the first data; after a failed first load or the start wait, no wait at all. */
  private async whenLoaded(): Promise<void> {
    if (this.data === null && !this.stopWaiting) await this.loaded;
  }

  get status(): ClientStatus {
    return this.currentStatus;
  }

  /** Resolves once flags are loaded, or after `startWaitMs` with loading still going on (checks serve defaults meanwhile). */
  async ready(): Promise<ClientStatus> {
    await within(this.loaded, this.options.startWaitMs, () => undefined);
    return this.currentStatus;
  }

  async checkFlag(context: EvaluationContext, key: FlagKey, options?: CheckFlagOptions): Promise<boolean> {
    return (await this.checkFlagWithEntitlement(context, key, options)).value;
  }

  /** The full outcome of one check: value, reason, rule, entitlement and usage. Never throws; never waits past its timeout. */
  async checkFlagWithEntitlement(context: EvaluationContext, key: FlagKey, options?: CheckFlagOptions): Promise<CheckFlagResult> {
    const fallback = (reason = REASON_FLAG_DEFAULT, err: string | null = null) => defaultResult(key, this.defaultFor(key, options), reason, err);
    if (this.mode === 'offline' || this.currentStatus === 'closed') return fallback();
    const work = async (): Promise<CheckFlagResult> => {
      await this.whenLoaded();
      if (this.data === null) return fallback();
      const flag = this.data.flags.get(key);
      if (!flag) return fallback(REASON_FLAG_NOT_FOUND);
      const subjects = await this.resolveSubjects(context, this.preflight(options));
      return evaluate(flag, subjects, this.options.now()) as CheckFlagResult;
    };
    try {
      // Fast path: flags loaded and entities in memory, so nothing can wait and no timeout is needed.
      const subjects = this.data !== null ? this.subjectsNow(context, options) : null;
      if (this.data !== null && subjects !== null) {
        const flag = this.data.flags.get(key);
        return flag ? (evaluate(flag, subjects, this.options.now()) as CheckFlagResult) : fallback(REASON_FLAG_NOT_FOUND);
      }
      return await within(work(), options?.timeoutMs ?? this.options.timeoutMs, () => fallback());
    } catch (error) {
      this.options.logger.error(`check of flag "${key}" failed; serving its default`, error);
      return fallback(REASON_FLAG_DEFAULT, String(error));
    }
  }

  /**
   * Every rule the check of `key` considers for this context, in order, with each condition's verdict.
   * `null` when the flag is unknown or no flags are loaded.
   */
  async explain(context: EvaluationContext, key: FlagKey, options?: CheckFlagOptions): Promise<FlagExplanation | null> {
    if (this.mode === 'offline') return null;
    await within(this.whenLoaded(), options?.timeoutMs ?? this.options.timeoutMs, () => undefined);
    const flag = this.data?.flags.get(key);
    if (!flag) return null;
    return explain(flag, await this.resolveSubjects(context, this.preflight(options)), this.options.now());
  }

  /** Several flags for one context (all flags when `keys` is omitted), with one entity lookup. */
  async checkFlags(context: EvaluationContext, keys?: readonly FlagKey[]): Promise<CheckFlagResult[]> {
    if (this.mode === 'offline') return (keys ?? []).map((key) => defaultResult(key, this.defaultFor(key), REASON_OFFLINE));
    const snapshot = await this.snapshot(context);
    return (keys ?? snapshot.keys()).map((key) => snapshot.detail(key));
  }

  /**
   * The flags of one request: the company and user are looked up once, here; every read on the snapshot is
   * then synchronous. Never throws; past the timeout it serves defaults.
   */
  async snapshot(context: EvaluationContext = {}, options: { timeoutMs?: number } = {}): Promise<FlagsSnapshot> {
    const unready = () => this.makeSnapshot(EMPTY_FLAGS, NO_SUBJECTS, REASON_FLAG_DEFAULT);
    if (this.mode === 'offline' || this.currentStatus === 'closed') return unready();
    const work = async () => {
      await this.whenLoaded();
      if (this.data === null) return unready();
      return this.makeSnapshot(this.data.flags, await this.resolveSubjects(context, null), REASON_FLAG_NOT_FOUND);
    };
    try {
      const subjects = this.data !== null ? this.subjectsNow(context, undefined) : null;
      if (this.data !== null && subjects !== null) return this.makeSnapshot(this.data.flags, subjects, REASON_FLAG_NOT_FOUND);
      return await within(work(), options.timeoutMs ?? this.options.timeoutMs, unready);
    } catch (error) {
      this.options.logger.error('snapshot failed; serving defaults', error);
      return unready();
    }
  }

  /** Creates or updates the user (and their company): keys, name and traits. Never throws. */
  async identify(body: IdentifyBody, _meta?: EventMeta): Promise<void> {
    if (this.mode === 'offline') return;
    try {
      if (!validKeys(body?.keys)) throw new InvalidEntityError('user', 'keys', 'identify needs at least one non-empty key');
      if (body.company) await this.upsert('company', body.company);
      await this.upsert('user', body);
    } catch (error) {
      this.options.logger.error('identify was not applied', error);
    }
  }

  /** Counts `quantity` (default 1) of an event against the company's usage. Never throws. */
  async track(body: TrackBody, _meta?: EventMeta): Promise<void> {
    if (this.mode === 'offline') return;
    try {
      const quantity = body?.quantity ?? 1;
      if (typeof body?.event !== 'string' || body.event === '') throw new InvalidEntityError('company', 'event', 'track needs an event name');
      if (!Number.isFinite(quantity)) throw new InvalidEntityError('company', 'quantity', 'expected a finite number');
      if (!hasKeys(body.company)) return;
      if (!validKeys(body.company)) throw new InvalidEntityError('company', 'company', 'expected non-empty string keys');
      const existing = (await this.store.getCompany(body.company))?.wire ?? updatedCompany(null, { keys: body.company }, this.definitionFor);
      const stored = await this.store.putCompany(trackedCompany(existing, body.event, quantity));
      this.emitter.emit('change', { type: 'company', id: stored.wire.id, keys: stored.wire.keys ?? {} });
    } catch (error) {
      this.options.logger.error('track was not applied', error);
    }
  }

  /** Listens for changes (flags reloaded, a company or user updated); returns the unsubscribe function. */
  subscribe(listener: (event: ChangeEvent) => void): () => void {
    return this.emitter.on('change', listener);
  }

  on<E extends keyof ClientEvents>(event: E, listener: (payload: ClientEvents[E]) => void): () => void {
    return this.emitter.on(event, listener);
  }

  /** Stops watching and answers every later check with its default. Safe to call more than once. */
  async close(): Promise<void> {
    if (this.currentStatus === 'closed') return;
    this.source?.close();
    this.setStatus('closed');
    this.emitter.clear();
  }

  private defaultFor(key: string, options?: CheckFlagOptions): boolean {
    const given = options?.defaultValue;
    if (given !== undefined) return typeof given === 'function' ? given() : given;
    return this.options.flagDefaults[key] ?? false;
  }

  private makeSnapshot(flags: ReadonlyMap<string, ParsedFlag>, subjects: Subjects, missingReason: string): FlagsSnapshot {
    return new FlagsSnapshot({ flags, clientKeys: this.clientKeys, nowMs: this.options.now(), missingReason, defaultFor: (key) => this.defaultFor(key) }, subjects);
  }

  private preflight(options: CheckFlagOptions | undefined): ParsedCheckOptions | null {
    if (!options || (options.usage === undefined && !options.eventUsage && !options.creditCost)) return null;
    // Whole units, rounded up, as Schematic's SDK sends them.
    return parseCheckOptions({
      ...(options.usage !== undefined ? { usage: Math.ceil(options.usage) } : {}),
      ...(options.eventUsage ? { event_usage: { event_subtype: options.eventUsage.eventSubtype, quantity: Math.ceil(options.eventUsage.quantity) } } : {}),
      ...(options.creditCost ? { credit_cost: options.creditCost } : {}),
    });
  }

  /** The subjects without waiting, when the store holds entities in memory; `null` when it must be asked. */
  private subjectsNow(context: EvaluationContext, options: CheckFlagOptions | undefined): Subjects | null {
    const { peekCompany, peekUser } = this.store;
    if (!peekCompany || !peekUser) return null;
    const company = hasKeys(context?.company) ? peekCompany.call(this.store, context.company) : null;
    const user = hasKeys(context?.user) ? peekUser.call(this.store, context.user) : null;
    return { company: company?.parsed ?? null, user: user?.parsed ?? null, options: this.preflight(options) };
  }

  private async resolveSubjects(context: EvaluationContext, options: ParsedCheckOptions | null): Promise<Subjects> {
    const [company, user] = await Promise.all([
      hasKeys(context?.company) ? this.store.getCompany(context.company) : null,
      hasKeys(context?.user) ? this.store.getUser(context.user) : null,
    ]);
    return { company: company?.parsed ?? null, user: user?.parsed ?? null, options };
  }

  private readonly definitionFor = (entity: 'company' | 'user', name: string, value: unknown): WireTraitDefinition =>
    this.traitDefinitions.get(`${entity}.${name}`) ?? inferredDefinition(entity, name, value);

  private async upsert(kind: 'company' | 'user', body: EntityUpdate & { company?: unknown }): Promise<EntityDetail> {
    if (!validKeys(body?.keys)) throw new InvalidEntityError(kind, 'keys', 'expected at least one non-empty string key');
    if (kind === 'company') {
      const existing = await this.store.getCompany(body.keys);
      const stored = await this.store.putCompany(updatedCompany(existing?.wire ?? null, body, this.definitionFor));
      this.emitter.emit('change', { type: 'company', id: stored.wire.id, keys: stored.wire.keys ?? {} });
      return detailOf(stored.wire);
    }
    const existing = await this.store.getUser(body.keys);
    const stored = await this.store.putUser(updatedUser(existing?.wire ?? null, body, this.definitionFor));
    this.emitter.emit('change', { type: 'user', id: stored.wire.id, keys: stored.wire.keys ?? {} });
    return detailOf(stored.wire);
  }

  private async applyData(data: FlagsData): Promise<void> {
    const previous = this.data;
    this.data = data;
    this.traitDefinitions = collectTraitDefinitions(data);
    this.clientKeys = new Set([...data.clientKeys, ...this.options.clientFlags]);
    await this.seedEntities(data);
    this.setStatus('ready');
    this.markLoaded();
    if (previous) {
      const changed = changedFlagKeys(previous, data);
      if (changed.length > 0) this.emitter.emit('change', { type: 'flags', keys: changed });
    }
  }

  /** Companies and users the file declares go into the store when first seen or when their definition changes. */
  private async seedEntities(data: FlagsData): Promise<void> {
    const entities: [string, WireCompany | WireUser][] = [
      ...data.companies.map((c): [string, WireCompany] => [`company:${c.id}`, c]),
      ...data.users.map((u): [string, WireUser] => [`user:${u.id}`, u]),
    ];
    for (const [id, wire] of entities) {
      const json = JSON.stringify(wire);
      if (this.seededEntities.get(id) === json) continue;
      this.seededEntities.set(id, json);
      if (id.startsWith('company:')) await this.store.putCompany(wire as WireCompany);
      else await this.store.putUser(wire as WireUser);
    }
  }

  private reportSourceError(error: FlagwireError): void {
    this.stopWaiting = true;
    this.options.logger.error(this.data ? `${error.message}\nStill serving the last good flags.` : error.message);
    if (this.currentStatus === 'ready') this.setStatus('stale');
    this.emitter.emit('error', error);
  }

  private setStatus(status: ClientStatus): void {
    if (this.currentStatus === status) return;
    this.currentStatus = status;
    this.emitter.emit('status', status);
  }
}

/** Creates the client. Options are validated here: a bad one throws `FlagwireConfigError` naming it. */
export function createFlagsClient(options?: FlagsClientOptions): FlagsClient {
  return new FlagsClient(resolveOptions(options));
}
