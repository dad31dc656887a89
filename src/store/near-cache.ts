import type { WireCompany, WireUser } from '../evaluators/schematic/engine';
import type { ChangeEvent } from '../core/types';
import type { EntityKind, EntityStore, StoredCompany, StoredUser } from './entity-store';
import { LookupTable, lookupKey } from './lookup-table';

/**
 * How long a near-cached lookup is served without being read again, in ms: the bound on staleness when a
 * change notice never arrives (a publisher whose PUBLISH failed, a replicator that does not publish —
 * Schematic's own — or a connection that died without a sign). Short enough that a missed change heals
 * quickly; long enough that a hot company costs one Redis read per 2 s per process, not one per check.
 */
export const DEFAULT_NEAR_CACHE_TTL_MS = 2000;

export interface NearCacheOptions {
  /** The most lookups held per kind (companies, users); the least recently used go first. */
  maxEntities: number;
  /** How long a lookup is served before it is read again, in ms. @default DEFAULT_NEAR_CACHE_TTL_MS */
  ttlMs?: number;
  /** The key version of the store behind; when it changes, everything cached under the old one is dropped. */
  version?: () => string;
  /** A monotonic clock in ms, for tests. @default performance.now */
  now?: () => number;
}

/**
 * An in-process near cache of parsed companies and users in front of a shared store (Redis), so a check
 * on a warm entity costs a memory lookup instead of two Redis round trips. It stays correct by:
 * - serving only while trusted: its owner trusts it while change notices are flowing (the pub/sub
 *   subscriber is subscribed), and every change of trust empties it, since notices may have been missed;
 * - dropping, on each change notice, webhook invalidation or write through it, every lookup the change
 *   could alter; a read in flight across any of these is answered but not kept;
 * - serving an entry for at most `ttlMs` from when its read began, the bound when a notice is missed;
 * - emptying itself when the store's key version changes.
 * Reads by id go to the store: partial updates must merge into the latest entity, not a cached one.
 */
export class NearCachedStore implements EntityStore {
  private readonly companies: LookupTable<StoredCompany>;
  private readonly users: LookupTable<StoredUser>;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private trusted = false;
  /** Bumped by every drop: a read that began under an older epoch may have read what was just dropped. */
  private epoch = 0;
  private version: string | undefined;

  constructor(
    private readonly inner: EntityStore,
    private readonly options: NearCacheOptions,
  ) {
    this.companies = new LookupTable(options.maxEntities);
    this.users = new LookupTable(options.maxEntities);
    this.ttlMs = options.ttlMs ?? DEFAULT_NEAR_CACHE_TTL_MS;
    this.now = options.now ?? (() => performance.now());
    this.version = options.version?.();
  }

  /** Trust it while change notices reach this process; each change of trust drops everything. */
  setTrusted(trusted: boolean): void {
    this.dropAll();
    this.trusted = trusted;
  }

  /** Drops what a change notice or a webhook names. */
  drop(change: ChangeEvent): void {
    if (change.type === 'flags') return;
    this.epoch++;
    this.table(change.type).dropEntity(change.id, change.keys);
  }

  /** The near-cached answer without waiting: the entity, `null` when the store is known to have none, `undefined` when unknown. */
  cached(kind: 'company', keys: Readonly<Record<string, string>>): StoredCompany | null | undefined;
  cached(kind: 'user', keys: Readonly<Record<string, string>>): StoredUser | null | undefined;
  cached(kind: EntityKind, keys: Readonly<Record<string, string>>): StoredCompany | StoredUser | null | undefined {
    if (!this.usable()) return undefined;
    const lookup = lookupKey(keys);
    return lookup === '' ? undefined : this.table(kind).get(lookup, this.now());
  }

  /** `null` also when the store is known to have none: a caller that would fetch it elsewhere must still go and ask. */
  peekCompany(keys: Readonly<Record<string, string>>): StoredCompany | null {
    return this.cached('company', keys) ?? null;
  }

  peekUser(keys: Readonly<Record<string, string>>): StoredUser | null {
    return this.cached('user', keys) ?? null;
  }

  getCompany(keys: Readonly<Record<string, string>>): Promise<StoredCompany | null> {
    return this.read(this.companies, keys, () => this.inner.getCompany(keys));
  }

  getUser(keys: Readonly<Record<string, string>>): Promise<StoredUser | null> {
    return this.read(this.users, keys, () => this.inner.getUser(keys));
  }

  putCompany(company: WireCompany): Promise<StoredCompany> {
    return this.write(this.companies, company.id, company.keys ?? {}, () => this.inner.putCompany(company));
  }

  putUser(user: WireUser): Promise<StoredUser> {
    return this.write(this.users, user.id, user.keys ?? {}, () => this.inner.putUser(user));
  }

  deleteCompany(id: string): Promise<void> {
    return this.write(this.companies, id, {}, () => this.inner.deleteCompany(id));
  }

  deleteUser(id: string): Promise<void> {
    return this.write(this.users, id, {}, () => this.inner.deleteUser(id));
  }

  getCompanyById(id: string): Promise<StoredCompany | null> {
    return this.inner.getCompanyById(id);
  }

  getUserById(id: string): Promise<StoredUser | null> {
    return this.inner.getUserById(id);
  }

  private table(kind: EntityKind): LookupTable<StoredCompany | StoredUser> {
    return kind === 'company' ? this.companies : this.users;
  }

  /** Trusted, under the store's current key version (a new version empties it first). */
  private usable(): boolean {
    if (!this.trusted) return false;
    const version = this.options.version?.();
    if (version !== this.version) {
      this.version = version;
      this.dropAll();
    }
    return true;
  }

  private async read<S extends StoredCompany | StoredUser>(table: LookupTable<S>, keys: Readonly<Record<string, string>>, fromStore: () => Promise<S | null>): Promise<S | null> {
    const lookup = this.usable() ? lookupKey(keys) : '';
    if (lookup !== '') {
      const hit = table.get(lookup, this.now());
      if (hit !== undefined) return hit;
    }
    const epoch = this.epoch;
    const startedAt = this.now();
    const found = await fromStore();
    if (lookup !== '' && this.usable() && this.epoch === epoch) table.set(keys, found, startedAt + this.ttlMs);
    return found;
  }

  /** Drops the entity before the write (reads meanwhile go to the store) and after it (reads that raced it are not kept). */
  private async write<S extends StoredCompany | StoredUser, R>(table: LookupTable<S>, id: string, keys: Readonly<Record<string, string>>, work: () => Promise<R>): Promise<R> {
    this.epoch++;
    table.dropEntity(id, keys);
    try {
      return await work();
    } finally {
      this.epoch++;
      table.dropEntity(id, keys);
    }
  }

  private dropAll(): void {
    this.epoch++;
    this.companies.clear();
    this.users.clear();
  }
}
