import type { WireCompany, WireTraitDefinition, WireUser } from '../evaluators/schematic/engine';
import { detailOf, type EntityDetail, hasKeys, validKeys } from '../core/entity-details';
import { InvalidEntityError } from '../core/errors';
import { NO_SUBJECTS, type StoredSubjects, type SubjectLookup } from '../core/flag-set';
import { timeSlices } from '../core/internal/time-slices';
import type { EntityWrites, PartsHost } from '../core/parts';
import type { EvaluationContext, IdentifyBody, TrackBody } from '../core/types';
import { assertTrackQuantity } from '../capture/events/track-quantity';
import type { EntityList, EntityLists } from '../flags-file/flags-data';
import type { EntityKind } from '../store/entity-store';
import { MemoryStore } from '../store/memory-store';
import { Declarations, DeclarationsBuilder } from './declarations';
import { type EntityUpdate, inferredDefinition, rebasedOnFile, trackedCompany, updatedCompany, updatedUser } from './local-entities';

/** How long seeding a file's entities holds the event loop at a time. */
const SEED_SLICE_MS = 10;

/** One kind of entity in the memory store, read and written synchronously. */
interface SyncTable<E> {
  kind: EntityKind;
  byId(id: string): E | null;
  byKeys(keys: Readonly<Record<string, string>>): E | null;
  /** The id as the stored entity keeps it (one string shared, not a copy per place), or `id` when none is stored. */
  keptId(id: string): string;
  /** Stores the entity; returns its id as kept. */
  put(wire: E): string;
  remove(id: string): void;
}

/**
 * Companies and users of the embedded default, in memory: created and updated by the flags file, identify, track
 * and upserts, and looked up for checks. Writes read and write the store in one synchronous stretch, so concurrent
 * calls (ten track()s not awaited, a track() beside an upsert or a reload) each apply on top of the others.
 */
export class LocalEntities implements EntityWrites, SubjectLookup {
  private readonly store: MemoryStore;
  /** Each company's and user's declaration at the last load, fingerprinted (no text is kept). */
  private declared: Record<EntityKind, Declarations> = { company: Declarations.NONE, user: Declarations.NONE };
  /**
   * The last load's declaration of each declared entity that identify, upserts or track have changed since: the
   * base a reload merges the file's change onto. An entity nothing changed at runtime is its own declaration.
   */
  private declaredBase: Record<EntityKind, Map<string, WireCompany | WireUser>> = { company: new Map(), user: new Map() };
  /** The trait definitions of the flags in use: the types identify and upserts give traits. */
  private traitDefinitions: ReadonlyMap<string, WireTraitDefinition> = new Map();

  constructor(private readonly host: PartsHost) {
    this.store = new MemoryStore({ maxEntities: host.options.maxEntities });
  }

  /** Types traits written from now on as the flags' conditions compare them (see collectTraitDefinitions). */
  useTraitDefinitions(definitions: ReadonlyMap<string, WireTraitDefinition>): void {
    this.traitDefinitions = definitions;
  }

  // — lookup —

  now(context: EvaluationContext): StoredSubjects {
    const company = hasKeys(context?.company) ? this.store.peekCompany(context.company) : null;
    const user = hasKeys(context?.user) ? this.store.peekUser(context.user) : null;
    // A visitor nobody stored, the most common request, shares one answer.
    return company === null && user === null ? NO_SUBJECTS : { company: company?.parsed ?? null, user: user?.parsed ?? null };
  }

  async get(context: EvaluationContext): Promise<StoredSubjects> {
    return this.now(context);
  }

  // — writes —

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
    const found = this.store.peekCompany(body.company)?.wire ?? null;
    this.keepDeclaration('company', found);
    const existing = found ?? updatedCompany(null, { keys: body.company }, this.definitionFor);
    const stored = this.store.putCompanyNow(trackedCompany(existing, body.event, quantity));
    this.host.emitter.emit('change', { type: 'company', id: stored.wire.id, keys: stored.wire.keys ?? {} });
  }

  async upsertCompany(body: EntityUpdate): Promise<EntityDetail> {
    return this.upsert('company', body);
  }

  async upsertUser(body: EntityUpdate): Promise<EntityDetail> {
    return this.upsert('user', body);
  }

  /**
   * Companies and users the file declares go into the store when first seen, and again when the file changes
   * them (their JSON text is not the last load's): rebased onto what is stored, so what identify, upserts and
   * track did at runtime is kept. A slice at a time, each entity read and written in one synchronous stretch, so
   * checks and entity writes go on meanwhile; an edit to the flags alone parses no entity.
   * @param announce whether a live page follows each change (not at the first load)
   */
  async seed(entities: EntityLists, announce: boolean): Promise<void> {
    this.warnPastCapacity(entities);
    if (entities.companies.ids.length + entities.users.ids.length === 0 && this.declared.company.size + this.declared.user.size === 0) return;
    const store = this.store;
    const pause = timeSlices(SEED_SLICE_MS);
    const seed = async <E extends WireCompany | WireUser>({ ids, prints, texts, entities: given }: EntityList, table: SyncTable<E>) => {
      const last = this.declared[table.kind];
      const bases = this.declaredBase[table.kind] as Map<string, E>;
      const declared = new DeclarationsBuilder(ids.length);
      const keptBases = new Map<string, E>();
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i] as string;
        const print = prints[i] as number;
        const base = bases.get(id);
        if (last.printOf(id) !== print) {
          const entity = (given?.[i] ?? JSON.parse(texts?.[i] as string)) as E;
          const stored = table.byId(id) ?? table.byKeys(entity.keys ?? {});
          // Declared before: the base is what the last load declared (the stored entity itself, if nothing changed it since).
          const before = last.has(id) ? (base ?? stored) : null;
          const rebased = rebasedOnFile(stored, before, entity);
          const next = rebased.id === id ? rebased : { ...rebased, id };
          if (stored && stored.id !== id) table.remove(stored.id);
          declared.add(table.put(next), print);
          // Still changed at runtime: this load's declaration is the base of the next.
          if (base) keptBases.set(id, entity);
          // A live page showing this company or user follows the file's change, as it follows an upsert.
          if (announce) this.host.emitter.emit('change', { type: table.kind, id: next.id, keys: next.keys ?? {} });
        } else {
          declared.add(table.keptId(id), print);
          if (base) keptBases.set(id, base);
        }
        const paused = pause();
        if (paused) await paused;
      }
      this.declared[table.kind] = declared.build();
      this.declaredBase[table.kind] = keptBases;
    };
    await seed(entities.companies, {
      kind: 'company',
      byId: (id) => store.companyByIdNow(id)?.wire ?? null,
      byKeys: (keys) => store.peekCompany(keys)?.wire ?? null,
      keptId: (id) => store.companyByIdNow(id)?.parsed.id ?? id,
      put: (wire) => store.putCompanyNow(wire).parsed.id,
      remove: (id) => store.deleteCompanyNow(id),
    });
    await seed(entities.users, {
      kind: 'user',
      byId: (id) => store.userByIdNow(id)?.wire ?? null,
      byKeys: (keys) => store.peekUser(keys)?.wire ?? null,
      keptId: (id) => store.userByIdNow(id)?.parsed.id ?? id,
      put: (wire) => store.putUserNow(wire).parsed.id,
      remove: (id) => store.deleteUserNow(id),
    });
  }

  /**
   * Before the first runtime write to an entity the file declares, keeps the declaration it is about to change:
   * a reload needs it to tell the file's changes from the app's.
   */
  private keepDeclaration(kind: EntityKind, stored: WireCompany | WireUser | null): void {
    if (stored === null || !this.declared[kind].has(stored.id)) return;
    const bases = this.declaredBase[kind];
    if (!bases.has(stored.id)) bases.set(stored.id, stored);
  }

  private readonly definitionFor = (entity: 'company' | 'user', name: string, value: unknown): WireTraitDefinition =>
    this.traitDefinitions.get(`${entity}.${name}`) ?? inferredDefinition(entity, name, value);

  private upsert(kind: EntityKind, body: EntityUpdate): EntityDetail {
    if (!validKeys(body?.keys)) throw new InvalidEntityError(kind, 'keys', 'expected at least one non-empty string key');
    const found = (kind === 'company' ? this.store.peekCompany(body.keys) : this.store.peekUser(body.keys))?.wire ?? null;
    this.keepDeclaration(kind, found);
    const stored =
      kind === 'company'
        ? this.store.putCompanyNow(updatedCompany(found as WireCompany | null, body, this.definitionFor))
        : this.store.putUserNow(updatedUser(found as WireUser | null, body, this.definitionFor));
    this.host.emitter.emit('change', { type: kind, id: stored.wire.id, keys: stored.wire.keys ?? {} });
    return detailOf(stored.wire);
  }

  /** The store keeps `maxEntities` of each kind: a file declaring more would lose some without a word. */
  private warnPastCapacity(entities: EntityLists): void {
    const { maxEntities, logger } = this.host.options;
    for (const [kind, declared] of [['companies', entities.companies.ids.length], ['users', entities.users.ids.length]] as const) {
      if (declared > maxEntities) {
        logger.warn(`the flags file declares ${declared} ${kind}, but the store keeps ${maxEntities} (maxEntities): the ${declared - maxEntities} least recently used are dropped; raise maxEntities to keep them all`);
      }
    }
  }
}
