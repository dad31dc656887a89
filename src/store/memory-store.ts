import { LRUCache } from 'lru-cache';
import { parseCompany, parseUser, type WireCompany, type WireUser } from '../evaluators/schematic/engine';
import { type EntityStore, keyIndexEntry, type Stored, type StoredCompany, type StoredUser } from './entity-store';

export interface MemoryStoreOptions {
  /** The most entities of each kind held; the least recently used go first. */
  maxEntities: number;
  /** How long an entity stays, in ms; 0 keeps it until evicted. @default 0 */
  ttlMs?: number;
}

/** One kind of entity: an LRU by id plus the key index pointing into it. */
class EntityTable<Wire extends { id: string; keys?: Record<string, string> | null }, Parsed> {
  private readonly byId: LRUCache<string, Stored<Wire, Parsed>>;
  private readonly idByKey = new Map<string, string>();

  constructor(
    private readonly parse: (wire: Wire) => Parsed,
    { maxEntities, ttlMs = 0 }: MemoryStoreOptions,
  ) {
    this.byId = new LRUCache({
      max: maxEntities,
      ...(ttlMs > 0 ? { ttl: ttlMs } : {}),
      // An entity that leaves takes its index entries with it (unless they already point elsewhere).
      dispose: (stored, id) => this.unindex(id, stored.wire.keys ?? {}),
    });
  }

  get(keys: Readonly<Record<string, string>>): Stored<Wire, Parsed> | null {
    for (const name in keys) {
      const value = keys[name];
      if (typeof value !== 'string') continue;
      const id = this.idByKey.get(keyIndexEntry(name, value));
      const stored = id === undefined ? undefined : this.byId.get(id);
      if (stored) return stored;
    }
    return null;
  }

  put(wire: Wire): Stored<Wire, Parsed> {
    const stored = { wire, parsed: this.parse(wire) };
    const previous = this.byId.peek(wire.id);
    if (previous) this.unindex(wire.id, previous.wire.keys ?? {});
    this.byId.set(wire.id, stored, { noDisposeOnSet: true });
    for (const [name, value] of Object.entries(wire.keys ?? {})) this.idByKey.set(keyIndexEntry(name, value), wire.id);
    return stored;
  }

  delete(id: string): void {
    this.byId.delete(id);
  }

  byIdOnly(id: string): Stored<Wire, Parsed> | null {
    return this.byId.get(id) ?? null;
  }

  private unindex(id: string, keys: Readonly<Record<string, string>>): void {
    for (const [name, value] of Object.entries(keys)) {
      const entry = keyIndexEntry(name, value);
      if (this.idByKey.get(entry) === id) this.idByKey.delete(entry);
    }
  }
}

/** Companies and users in process memory, bounded by count and optionally by age. */
export class MemoryStore implements EntityStore {
  private readonly companies: EntityTable<WireCompany, ReturnType<typeof parseCompany>>;
  private readonly users: EntityTable<WireUser, ReturnType<typeof parseUser>>;

  constructor(options: MemoryStoreOptions) {
    this.companies = new EntityTable<WireCompany, ReturnType<typeof parseCompany>>(parseCompany, options);
    this.users = new EntityTable<WireUser, ReturnType<typeof parseUser>>(parseUser, options);
  }

  async getCompany(keys: Readonly<Record<string, string>>): Promise<StoredCompany | null> {
    return this.companies.get(keys);
  }

  async getUser(keys: Readonly<Record<string, string>>): Promise<StoredUser | null> {
    return this.users.get(keys);
  }

  peekCompany(keys: Readonly<Record<string, string>>): StoredCompany | null {
    return this.companies.get(keys);
  }

  peekUser(keys: Readonly<Record<string, string>>): StoredUser | null {
    return this.users.get(keys);
  }

  async putCompany(company: WireCompany): Promise<StoredCompany> {
    return this.companies.put(company);
  }

  async putUser(user: WireUser): Promise<StoredUser> {
    return this.users.put(user);
  }

  /**
   * The same writes, done before returning. A caller that reads with `peek*` and writes with these in one
   * synchronous stretch changes an entity atomically: no other update can land between its read and write.
   */
  putCompanyNow(company: WireCompany): StoredCompany {
    return this.companies.put(company);
  }

  putUserNow(user: WireUser): StoredUser {
    return this.users.put(user);
  }

  deleteCompanyNow(id: string): void {
    this.companies.delete(id);
  }

  deleteUserNow(id: string): void {
    this.users.delete(id);
  }

  companyByIdNow(id: string): StoredCompany | null {
    return this.companies.byIdOnly(id);
  }

  userByIdNow(id: string): StoredUser | null {
    return this.users.byIdOnly(id);
  }

  async deleteCompany(id: string): Promise<void> {
    this.companies.delete(id);
  }

  async deleteUser(id: string): Promise<void> {
    this.users.delete(id);
  }

  async getCompanyById(id: string): Promise<StoredCompany | null> {
    return this.companies.byIdOnly(id);
  }

  async getUserById(id: string): Promise<StoredUser | null> {
    return this.users.byIdOnly(id);
  }
}
