import { defaultResult } from '../core/default-result';
import {
  evaluate,
  explain,
  type FlagExplanation,
  type ParsedCheckOptions,
  type Subjects,
  type WireCompany,
  type WireTraitDefinition,
  type WireUser,
} from '../server/engine';
import { detailOf, type EntityDetail, hasKeys, validKeys } from '../core/entity-details';
import { FlagwireConfigError, type FlagwireError, InvalidEntityError } from '../core/errors';
import { changedFlagKeys, collectTraitDefinitions } from '../flags-file/changes';
import { type EntityTexts, entityTextsOf, type FlagsData, loadFlagsText } from '../flags-file/load';
import { timeSlices } from '../core/internal/time-slices';
import { type EntityUpdate, inferredDefinition, rebasedOnFile, trackedCompany, updatedCompany, updatedUser } from '../writes/local-entities';
import { REASON_FLAG_NOT_FOUND } from '../core/reasons';
import { parsedPreflight } from '../core/preflight';
import { MemoryStore } from '../store/memory-store';
import type { CheckFlagOptions, CheckFlagResult, EvaluationContext, IdentifyBody, TrackBody } from '../core/types';
import { evaluatedResults } from '../evaluators/schematic/evaluated-results';
import { assertTrackQuantity } from '../capture/events/track-quantity';
import { featBitUserFor } from '../evaluators/featbit/context-user';
import { featBitResults } from '../evaluators/featbit/featbit-results';
import { KeyAttributes } from '../server/variants/key-attributes';
import { attributeReader, withRequestAttributes } from '../server/variants/request-attributes';
import { variantCheckResult, variantOfResult } from '../server/variants/variant-detail';
import { ResultsMemo } from '../evaluators/schematic/results-memo';
import type { FlagResults, FlagsSource, Mode, ModeHost } from './mode';
// A type only: the file source itself (Node's file system) is given by the runtime's mode factory.
import type { FlagsSourceHandlers } from '../sources/file/local-file-source';

/** How long seeding a file's entities holds the event loop at a time. */
const SEED_SLICE_MS = 10;

/** One kind of entity in the memory store, read and written synchronously. */
interface SyncTable<E> {
  kind: 'company' | 'user';
  byId(id: string): E | null;
  byKeys(keys: Readonly<Record<string, string>>): E | null;
  put(wire: E): unknown;
  remove(id: string): void;
}

/**
 * The embedded default: flags from a local file (or declared in code) evaluated in-process; companies and
 * users in memory, created and updated by the file, identify, track and upserts.
 */
export class LocalMode implements Mode {
  readonly name = 'local' as const;
  private readonly store: MemoryStore;
  private readonly source: FlagsSource | null = null;
  private data: FlagsData | null = null;
  /** Resolves at the first load, or once waiting for it stops (a failed load, the start wait ran out). */
  private endWait!: () => void;
  private readonly waitEnded = new Promise<void>((resolve) => (this.endWait = resolve));
  /** Set once the first load failed or the start wait ran out: checks stop waiting and serve defaults. */
  private stopWaiting = false;
  private traitDefinitions = new Map<string, WireTraitDefinition>();
  private keyAttributes = KeyAttributes.NONE;
  private clientKeys: ReadonlySet<string>;
  /** Snapshot results per company and user for the current flags; replaced with the flags. */
  private memo = new ResultsMemo<FlagResults>();
  /** The JSON text of each company and user the last load declared, by `<kind>:<id>`: what a reload compares with. */
  private declared = new Map<string, string>();
  /** Loads apply one after another: a file's entities must not be seeded over a newer file's. */
  private applying: Promise<void> = Promise.resolve();

  /** @param openFlagsFile how this runtime reads the flags file; `null` where there is no file system (the edge). */
  constructor(
    private readonly host: ModeHost,
    openFlagsFile: ((handlers: FlagsSourceHandlers) => FlagsSource) | null,
  ) {
    const { options } = host;
    this.store = new MemoryStore({ maxEntities: options.maxEntities });
    this.clientKeys = options.clientFlags;
    const startWait = setTimeout(() => this.stopWaitingForFlags(), options.startWaitMs);
    startWait.unref?.();
    if (options.inlineFlags) {
      try {
        // Flags without entities apply at once: the client is ready when it is made.
        void this.applyData(loadFlagsText(JSON.stringify({ flags: options.inlineFlags, segments: options.inlineSegments }), '<flags option>'));
      } catch (error) {
        this.reportSourceError(error as FlagwireError);
      }
      return;
    }
    if (!openFlagsFile) {
      this.reportSourceError(new FlagwireConfigError('flagsFile', 'this runtime has no file system: pass the flags themselves (`flags`), or an apiKey'));
      return;
    }
    this.source = openFlagsFile({
      file: options.flagsFile,
      watch: options.watch,
      onData: (data) => {
        this.applying = this.applying.then(() => this.applyData(data)).catch((error: unknown) => this.host.options.logger.error('the flags file was read but not applied', error));
      },
      onError: (error) => this.reportSourceError(error),
    });
    void this.source.start();
  }

  async whenReady(): Promise<void> {
    if (this.data === null && !this.stopWaiting) await this.waitEnded;
  }

  checkNow(context: EvaluationContext, key: string, options: CheckFlagOptions | undefined): CheckFlagResult | null {
    const subjects = this.data === null ? null : this.subjectsNow(context, options);
    if (this.data === null || subjects === null) return null;
    return this.evaluateKey(this.data, key, context, subjects, options);
  }

  async check(context: EvaluationContext, key: string, options: CheckFlagOptions | undefined): Promise<CheckFlagResult> {
    await this.whenReady();
    if (this.data === null) return defaultResult(key, this.host.defaultFor(key, options), 'flag default');
    return this.evaluateKey(this.data, key, context, await this.resolveSubjects(context, parsedPreflight(options)), options);
  }

  resultsNow(context: EvaluationContext): FlagResults | null {
    const subjects = this.data === null ? null : this.subjectsNow(context, undefined);
    return this.data === null || subjects === null ? null : this.resultsFor(this.data, context, subjects);
  }

  async results(context: EvaluationContext): Promise<FlagResults> {
    await this.whenReady();
    if (this.data === null) return { keys: () => [], result: () => undefined, clientKeys: this.clientKeys, missingReason: 'flag default' };
    return this.resultsFor(this.data, context, await this.resolveSubjects(context, null));
  }

  async explain(context: EvaluationContext, key: string, options: CheckFlagOptions | undefined): Promise<FlagExplanation | null> {
    await this.whenReady();
    const flag = this.data?.flags.get(key);
    if (!flag) return null;
    const { subjects } = this.subjectsFor(await this.resolveSubjects(context, parsedPreflight(options)), context);
    return explain(flag, subjects, this.host.options.now());
  }

  // Entity writes read and write the in-memory store in one synchronous stretch, so concurrent calls (ten
  // track()s not awaited, a track() beside an upsert or a reload) each apply on top of the others: none is lost.

  identify(body: IdentifyBody): void {
    if (!validKeys(body?.keys)) throw new InvalidEntityError('user', 'keys', 'identify needs at least one non-empty key');
    if (body.company) this.upsert('company', body.company);
    this.upsert('user', body);
  }

  track(body: TrackBody): void {
    const quantity = body?.quantity ?? 1;
    if (typeof body?.event !== 'string' || body.event === '') throw new InvalidEntityError('company', 'event', 'track needs an event name');
    assertTrackQuantity(quantity);
    if (!hasKeys(body.company)) return;
    if (!validKeys(body.company)) throw new InvalidEntityError('company', 'company', 'expected non-empty string keys');
    const existing = this.store.peekCompany(body.company)?.wire ?? updatedCompany(null, { keys: body.company }, this.definitionFor);
    const stored = this.store.putCompanyNow(trackedCompany(existing, body.event, quantity));
    this.host.emitter.emit('change', { type: 'company', id: stored.wire.id, keys: stored.wire.keys ?? {} });
  }

  async upsertCompany(body: EntityUpdate): Promise<EntityDetail> {
    return this.upsert('company', body);
  }

  async upsertUser(body: EntityUpdate): Promise<EntityDetail> {
    return this.upsert('user', body);
  }

  async close(): Promise<void> {
    this.source?.close();
  }

  private evaluateKey(data: FlagsData, key: string, context: EvaluationContext, stored: Subjects, options: CheckFlagOptions | undefined): CheckFlagResult {
    if (data.featbit) return this.resultsFor(data, context, stored).result(key) ?? defaultResult(key, this.host.defaultFor(key, options), REASON_FLAG_NOT_FOUND);
    const flag = data.flags.get(key);
    if (!flag) return defaultResult(key, this.host.defaultFor(key, options), REASON_FLAG_NOT_FOUND);
    const { subjects } = this.subjectsFor(stored, context);
    const result = evaluate(flag, subjects, this.host.options.now()) as CheckFlagResult;
    const variantFlag = data.variants.get(key);
        // A check whose preflight options are invalid answers its error whatever the flag serves.
    if (!variantFlag || result.err !== null) return result;
    const detail = variantOfResult(variantFlag, result, attributeReader(context, subjects));
    // A rollout that could not bucket the context answers the caller's default, as any check that fails does.
    const checked = variantCheckResult(result, detail);
    return detail.kind === 'error' ? { ...checked, value: this.host.defaultFor(key, options) } : checked;
  }

  private resultsFor(data: FlagsData, context: EvaluationContext, stored: Subjects): FlagResults {
    if (data.featbit) return featBitResults(data.featbit, featBitUserFor(context), this.clientKeys);
    const { now } = this.host.options;
    const { keyed, subjects } = this.subjectsFor(stored, context);
    // Kept per company and user only when the values depend on nothing else: no preflight options, no
    // request-time attributes or context keys read, and no flags with variations (rollouts bucket by the context's keys).
    const memoizable = stored.options === null && subjects === keyed && data.variants.size === 0;
    if (memoizable) return this.memo.get(subjects.company, subjects.user, () => evaluatedResults(data.flags, subjects, now, this.clientKeys, { knownValues: new Map() }));
    const variants = { flags: data.variants, read: attributeReader(context, subjects) };
    return evaluatedResults(data.flags, subjects, now, this.clientKeys, { variants });
  }

  /**
   * What conditions read: the stored entities with their keys under their traits (the same objects per entity:
   * `keyed`), then the context's keys and the request's attributes over them (`subjects`).
   */
  private subjectsFor(stored: Subjects, context: EvaluationContext): { keyed: Subjects; subjects: Subjects } {
    const keyed = this.keyAttributes.stored(stored);
    return { keyed, subjects: withRequestAttributes(this.keyAttributes.withContextKeys(keyed, context), context) };
  }

  /** The subjects without waiting, when the store holds entities in memory; `null` when it must be asked. */
  private subjectsNow(context: EvaluationContext, options: CheckFlagOptions | undefined): Subjects | null {
    const { peekCompany, peekUser } = this.store;
    if (!peekCompany || !peekUser) return null;
    const company = hasKeys(context?.company) ? peekCompany.call(this.store, context.company) : null;
    const user = hasKeys(context?.user) ? peekUser.call(this.store, context.user) : null;
    return { company: company?.parsed ?? null, user: user?.parsed ?? null, options: parsedPreflight(options) };
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

  private upsert(kind: 'company' | 'user', body: EntityUpdate): EntityDetail {
    if (!validKeys(body?.keys)) throw new InvalidEntityError(kind, 'keys', 'expected at least one non-empty string key');
    const stored =
      kind === 'company'
        ? this.store.putCompanyNow(updatedCompany(this.store.peekCompany(body.keys)?.wire ?? null, body, this.definitionFor))
        : this.store.putUserNow(updatedUser(this.store.peekUser(body.keys)?.wire ?? null, body, this.definitionFor));
    this.host.emitter.emit('change', { type: kind, id: stored.wire.id, keys: stored.wire.keys ?? {} });
    return detailOf(stored.wire);
  }

  private async applyData(data: FlagsData): Promise<void> {
    // Companies and users first, a slice at a time: checks keep answering, with the last flags, until the new
    // ones are whole. (Flags alone, as in code, apply at once.)
    const entities = entityTextsOf(data);
    this.warnPastCapacity(entities);
    if (entities.companies.ids.length + entities.users.ids.length > 0 || this.declared.size > 0) await this.seedEntities(entities, this.data !== null);
    const previous = this.data;
    // The entities are in the store from here on: the data need not hold them a second time.
    this.data = { ...data, companies: [], users: [], entityTexts: undefined };
    this.memo = new ResultsMemo();
    this.traitDefinitions = collectTraitDefinitions(data);
    this.keyAttributes = data.keysAsAttributes ? KeyAttributes.of(this.traitDefinitions.keys()) : KeyAttributes.NONE;
    this.clientKeys = new Set([...data.clientKeys, ...this.host.options.clientFlags]);
    this.host.setStatus('ready');
    this.endWait();
    if (previous) {
      const changed = changedFlagKeys(previous, data);
      if (changed.length > 0) this.host.emitter.emit('change', { type: 'flags', keys: changed });
    }
  }

  /**
   * Companies and users the file declares go into the store when first seen, and again when the file changes
   * them (their JSON text is not the last load's): rebased onto what is stored, so what identify, upserts and
   * track did at runtime is kept. A slice at a time, each entity read and written in one synchronous stretch, so
   * checks and entity writes go on meanwhile; an edit to the flags alone parses no entity.
   * @param announce whether a live page follows each change (not at the first load)
   */
  private async seedEntities(entities: EntityTexts, announce: boolean): Promise<void> {
    const store = this.store;
    const pause = timeSlices(SEED_SLICE_MS);
    const declared = new Map<string, string>();
    const seed = async <E extends WireCompany | WireUser>({ ids, texts }: EntityTexts['users'], table: SyncTable<E>) => {
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i] as string;
        const text = texts[i] as string;
        const key = `${table.kind}:${id}`;
        const before = this.declared.get(key);
        declared.set(key, text);
        if (before !== text) {
          const entity = JSON.parse(text) as E;
          const stored = table.byId(id) ?? table.byKeys(entity.keys ?? {});
          const next = { ...rebasedOnFile(stored, before === undefined ? null : (JSON.parse(before) as E), entity), id };
          if (stored && stored.id !== id) table.remove(stored.id);
          table.put(next);
          // A live page showing this company or user follows the file's change, as it follows an upsert.
          if (announce) this.host.emitter.emit('change', { type: table.kind, id: next.id, keys: next.keys ?? {} });
        }
        const paused = pause();
        if (paused) await paused;
      }
    };
    await seed(entities.companies, {
      kind: 'company',
      byId: (id) => store.companyByIdNow(id)?.wire ?? null,
      byKeys: (keys) => store.peekCompany(keys)?.wire ?? null,
      put: (wire) => store.putCompanyNow(wire),
      remove: (id) => store.deleteCompanyNow(id),
    });
    await seed(entities.users, {
      kind: 'user',
      byId: (id) => store.userByIdNow(id)?.wire ?? null,
      byKeys: (keys) => store.peekUser(keys)?.wire ?? null,
      put: (wire) => store.putUserNow(wire),
      remove: (id) => store.deleteUserNow(id),
    });
    this.declared = declared;
  }

  /** The store keeps `maxEntities` of each kind: a file declaring more would lose some without a word. */
  private warnPastCapacity(entities: EntityTexts): void {
    const { maxEntities, logger } = this.host.options;
    for (const [kind, declared] of [['companies', entities.companies.ids.length], ['users', entities.users.ids.length]] as const) {
      if (declared > maxEntities) {
        logger.warn(`the flags file declares ${declared} ${kind}, but the store keeps ${maxEntities} (maxEntities): the ${declared - maxEntities} least recently used are dropped; raise maxEntities to keep them all`);
      }
    }
  }

  private stopWaitingForFlags(): void {
    this.stopWaiting = true;
    this.endWait();
  }

  private reportSourceError(error: FlagwireError): void {
    this.stopWaitingForFlags();
    this.host.options.logger.error(this.data ? `${error.message}\nStill serving the last good flags.` : error.message);
    this.host.setStatus(this.data ? 'stale' : 'initializing');
    this.host.emitter.emit('error', error);
  }
}
