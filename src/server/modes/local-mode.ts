import { defaultResult } from '../default-result';
import {
  evaluate,
  explain,
  type FlagExplanation,
  type ParsedCheckOptions,
  type Subjects,
  type WireCompany,
  type WireTraitDefinition,
  type WireUser,
} from '../engine';
import { detailOf, type EntityDetail, hasKeys, validKeys } from '../entity-details';
import { FlagwireConfigError, type FlagwireError, InvalidEntityError } from '../errors';
import { changedFlagKeys, collectTraitDefinitions } from '../flags-file/changes';
import { type FlagsData, loadFlagsText } from '../flags-file/load';
import { type EntityUpdate, inferredDefinition, trackedCompany, updatedCompany, updatedUser } from '../local-entities';
import { REASON_FLAG_NOT_FOUND } from '../reasons';
import { parsedPreflight } from './preflight';
import type { EntityStore } from '../store/entity-store';
import { MemoryStore } from '../store/memory-store';
import type { CheckFlagOptions, CheckFlagResult, EvaluationContext, IdentifyBody, TrackBody } from '../types';
import { evaluatedResults } from './flag-results';
import { assertTrackQuantity } from '../events/track-quantity';
import { featBitUserFor } from '../featbit-source/context-user';
import { featBitResults } from '../featbit-source/featbit-results';
import { attributeReader, withRequestAttributes } from '../variants/request-attributes';
import { variantCheckResult, variantOfResult } from '../variants/variant-detail';
import { ResultsMemo } from './results-memo';
import type { FlagResults, FlagsSource, Mode, ModeHost } from './mode';
// A type only: the file source itself (Node's file system) is given by the runtime's mode factory.
import type { FlagsSourceHandlers } from '../sources/local-file-source';

/**
 * The embedded default: flags from a local file (or declared in code) evaluated in-process; companies and
 * users in memory, created and updated by the file, identify, track and upserts.
 */
export class LocalMode implements Mode {
  readonly name = 'local' as const;
  private readonly store: EntityStore;
  private readonly source: FlagsSource | null = null;
  private data: FlagsData | null = null;
  /** Resolves at the first load, or once waiting for it stops (a failed load, the start wait ran out). */
  private endWait!: () => void;
  private readonly waitEnded = new Promise<void>((resolve) => (this.endWait = resolve));
  /** Set once the first load failed or the start wait ran out: checks stop waiting and serve defaults. */
  private stopWaiting = false;
  private readonly seededEntities = new Map<string, string>();
  private traitDefinitions = new Map<string, WireTraitDefinition>();
  private clientKeys: ReadonlySet<string>;
  /** Snapshot results per company and user for the current flags; replaced with the flags. */
  private memo = new ResultsMemo<FlagResults>();

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
      onData: (data) => void this.applyData(data),
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
    const subjects = withRequestAttributes(await this.resolveSubjects(context, parsedPreflight(options)), context);
    return explain(flag, subjects, this.host.options.now());
  }

  async identify(body: IdentifyBody): Promise<void> {
    if (!validKeys(body?.keys)) throw new InvalidEntityError('user', 'keys', 'identify needs at least one non-empty key');
    if (body.company) await this.upsert('company', body.company);
    await this.upsert('user', body);
  }

  async track(body: TrackBody): Promise<void> {
    const quantity = body?.quantity ?? 1;
    if (typeof body?.event !== 'string' || body.event === '') throw new InvalidEntityError('company', 'event', 'track needs an event name');
    assertTrackQuantity(quantity);
    if (!hasKeys(body.company)) return;
    if (!validKeys(body.company)) throw new InvalidEntityError('company', 'company', 'expected non-empty string keys');
    const existing = (await this.store.getCompany(body.company))?.wire ?? updatedCompany(null, { keys: body.company }, this.definitionFor);
    const stored = await this.store.putCompany(trackedCompany(existing, body.event, quantity));
    this.host.emitter.emit('change', { type: 'company', id: stored.wire.id, keys: stored.wire.keys ?? {} });
  }

  upsertCompany(body: EntityUpdate): Promise<EntityDetail> {
    return this.upsert('company', body);
  }

  upsertUser(body: EntityUpdate): Promise<EntityDetail> {
    return this.upsert('user', body);
  }

  async close(): Promise<void> {
    this.source?.close();
  }

  private evaluateKey(data: FlagsData, key: string, context: EvaluationContext, stored: Subjects, options: CheckFlagOptions | undefined): CheckFlagResult {
    if (data.featbit) return this.resultsFor(data, context, stored).result(key) ?? defaultResult(key, this.host.defaultFor(key, options), REASON_FLAG_NOT_FOUND);
    const flag = data.flags.get(key);
    if (!flag) return defaultResult(key, this.host.defaultFor(key, options), REASON_FLAG_NOT_FOUND);
    const subjects = withRequestAttributes(stored, context);
    const result = evaluate(flag, subjects, this.host.options.now()) as CheckFlagResult;
    const variantFlag = data.variants.get(key);
        // A check whose preflight options are invalid answers its error whatever the flag serves.
    if (!variantFlag || result.err !== null) return result;
    return variantCheckResult(result, variantOfResult(variantFlag, result, attributeReader(context, subjects)));
  }

  private resultsFor(data: FlagsData, context: EvaluationContext, stored: Subjects): FlagResults {
    if (data.featbit) return featBitResults(data.featbit, featBitUserFor(context), this.clientKeys);
    const { now } = this.host.options;
    const subjects = withRequestAttributes(stored, context);
    // Kept per company and user only when the values depend on nothing else: no preflight options, no
    // request-time attributes, and no flags with variations (rollouts bucket by the context's keys).
    const memoizable = stored.options === null && subjects === stored && data.variants.size === 0;
    if (memoizable) return this.memo.get(subjects.company, subjects.user, () => evaluatedResults(data.flags, subjects, now, this.clientKeys, { knownValues: new Map() }));
    const variants = { flags: data.variants, read: attributeReader(context, subjects) };
    return evaluatedResults(data.flags, subjects, now, this.clientKeys, { variants });
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

  private async upsert(kind: 'company' | 'user', body: EntityUpdate): Promise<EntityDetail> {
    if (!validKeys(body?.keys)) throw new InvalidEntityError(kind, 'keys', 'expected at least one non-empty string key');
    const stored =
      kind === 'company'
        ? await this.store.putCompany(updatedCompany((await this.store.getCompany(body.keys))?.wire ?? null, body, this.definitionFor))
        : await this.store.putUser(updatedUser((await this.store.getUser(body.keys))?.wire ?? null, body, this.definitionFor));
    this.host.emitter.emit('change', { type: kind, id: stored.wire.id, keys: stored.wire.keys ?? {} });
    return detailOf(stored.wire);
  }

  private async applyData(data: FlagsData): Promise<void> {
    const previous = this.data;
    this.data = data;
    this.memo = new ResultsMemo();
    this.traitDefinitions = collectTraitDefinitions(data);
    this.clientKeys = new Set([...data.clientKeys, ...this.host.options.clientFlags]);
    await this.seedEntities(data);
    this.host.setStatus('ready');
    this.endWait();
    if (previous) {
      const changed = changedFlagKeys(previous, data);
      if (changed.length > 0) this.host.emitter.emit('change', { type: 'flags', keys: changed });
    }
  }

  /** Companies and users the file declares go into the store when first seen or when their definition changes. */
  private async seedEntities(data: FlagsData): Promise<void> {
    for (const company of data.companies) {
      if (this.isNewDefinition(`company:${company.id}`, company)) await this.store.putCompany(company as WireCompany);
    }
    for (const user of data.users) {
      if (this.isNewDefinition(`user:${user.id}`, user)) await this.store.putUser(user as WireUser);
    }
  }

  private isNewDefinition(id: string, wire: unknown): boolean {
    const json = JSON.stringify(wire);
    if (this.seededEntities.get(id) === json) return false;
    this.seededEntities.set(id, json);
    return true;
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
