import { parseCompany, type ParsedCompany, type ParsedUser, parseUser, type WireCompany, type WireUser } from '../evaluators/schematic/engine';
import { type EntityStore, type Stored, type StoredCompany, type StoredUser } from './entity-store';
import { RecencyMap } from './recency-map';
import { wireOfUser, type UserExtras, userExtrasOf } from './wire-of-user';

export interface MemoryStoreOptions {
  /** The most entities of each kind held; the least recently used go first. */
  maxEntities: number;
  /** How long an entity stays, in ms; 0 keeps it until evicted. @default 0 */
  ttlMs?: number;
}

/** A company as kept: its wire form (what track and DataStream's partial updates merge into) and its parsed form. */
class StoredCompanyEntry implements StoredCompany {
  constructor(
    readonly wire: WireCompany,
    readonly parsed: ParsedCompany,
  ) {}
}

/**
 * A user as kept: the parsed form only. Users are the many (a file or an app may hold hundreds of thousands), and
 * their wire form says nothing the parsed one does not, so it is rebuilt when a write needs it.
 */
class StoredUserEntry implements StoredUser {
  constructor(
    readonly parsed: ParsedUser,
    private readonly extras: UserExtras | null,
  ) {}

  get wire(): WireUser {
    return wireOfUser(this.parsed, this.extras);
  }
}

/**
 * One kind of entity: by id, least recently used dropped first, and an index from each key (name and value,
 * lowercased, as Schematic's cache keys are) straight to the entity.
 */
class EntityTable<Wire extends { id: string }, S extends Stored<Wire, ParsedCompany | ParsedUser>> {
  private readonly byId: RecencyMap<string, S>;
  /** Key name → key value → entity: no `name:value` string made per key, and one lookup per key read. */
  private readonly byKey = new Map<string, Map<string, S>>();

  constructor(
    private readonly keep: (wire: Wire) => S,
    { maxEntities, ttlMs = 0 }: MemoryStoreOptions,
  ) {
    // An entity that leaves takes its index entries with it (unless they already point elsewhere).
    this.byId = new RecencyMap(maxEntities, ttlMs, (stored) => this.unindex(stored));
  }

  get(keys: Readonly<Record<string, string>>): S | null {
    for (const name in keys) {
      const value = keys[name];
      if (typeof value !== 'string') continue;
      const indexed = this.byKey.get(name.toLowerCase())?.get(value.toLowerCase());
      // Through the id map, so a read counts as use and an expired entity is not answered.
      if (indexed !== undefined) return this.byId.get(indexed.parsed.id) ?? null;
    }
    return null;
  }

  put(wire: Wire): S {
    const stored = this.keep(wire);
    const previous = this.byId.peek(stored.parsed.id);
    if (previous) this.unindex(previous);
    this.byId.set(stored.parsed.id, stored);
    for (const [name, value] of Object.entries(stored.parsed.keys)) {
      const lowered = name.toLowerCase();
      let values = this.byKey.get(lowered);
      if (values === undefined) this.byKey.set(lowered, (values = new Map()));
      values.set(value.toLowerCase(), stored);
    }
    return stored;
  }

  delete(id: string): void {
    this.byId.delete(id);
  }

  byIdOnly(id: string): S | null {
    return this.byId.get(id) ?? null;
  }

  private unindex(stored: S): void {
    for (const [name, value] of Object.entries(stored.parsed.keys)) {
      const values = this.byKey.get(name.toLowerCase());
      const key = value.toLowerCase();
      if (values?.get(key) === stored) values.delete(key);
    }
  }
}

/** Companies and users in process memory, bounded by count and optionally by age. */
export class MemoryStore implements EntityStore {
  private readonly companies: EntityTable<WireCompany, StoredCompanyEntry>;
  private readonly users: EntityTable<WireUser, StoredUserEntry>;

  constructor(options: MemoryStoreOptions) {
    this.companies = new EntityTable((wire: WireCompany) => new StoredCompanyEntry(wire, parseCompany(wire)), options);
    this.users = new EntityTable((wire: WireUser) => new StoredUserEntry(parseUser(wire), userExtrasOf(wire)), options);
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
