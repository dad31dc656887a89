import { PARSED, parseCompany, type MemoSlot, type ParsedCompany, type ParsedUser, parseUser, type WireCompany, type WireUser } from '../evaluators/schematic/engine';
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
 * A user as kept: one object that is both its parsed form and the store's record of it. Users are the many (a
 * file or an app may hold hundreds of thousands), so each costs one object with its fields in place: no wire form
 * (it says nothing the parsed one does not, and is rebuilt when a write needs it), no separate store entry.
 */
class StoredUserRecord implements StoredUser, ParsedUser {
  declare readonly [PARSED]: 'user';
  readonly id: string;
  readonly accountId: string;
  readonly environmentId: string;
  readonly keys: Readonly<Record<string, string>>;
  readonly traits: ParsedUser['traits'];
  readonly rulesByFlagId: ParsedUser['rulesByFlagId'];
  declare memoSlot: MemoSlot | null;

  constructor(parsed: ParsedUser, extras: UserExtras | null) {
    this.id = sharedText(parsed.id, parsed.keys);
    this.accountId = parsed.accountId;
    this.environmentId = parsed.environmentId;
    this.keys = parsed.keys;
    this.traits = parsed.traits;
    this.rulesByFlagId = parsed.rulesByFlagId;
    // The evaluator's slot (see ParsedUser.memoSlot), out of sight: the record reads as a plain parsed user.
    Object.defineProperty(this, 'memoSlot', { value: null, writable: true, enumerable: false });
    if (extras !== null) extrasOfUsers.set(this, extras);
  }

  get parsed(): ParsedUser {
    return this;
  }

  get wire(): WireUser {
    return wireOfUser(this, extrasOfUsers.get(this) ?? null);
  }
}
/**
 * What the few users with more than the parsed form keeps (a `name`, rules of their own) say beyond it: beside
 * the records rather than a field in each, which most would leave empty.
 */
const extrasOfUsers = new WeakMap<StoredUserRecord, UserExtras>();

// On the prototype, not in each record: the tag says what the object is, the same for every user.
Object.defineProperty(StoredUserRecord.prototype, PARSED, { value: 'user' });

/** `id` itself, or the key value equal to it: an id that repeats a key (as most do) is then kept once, not twice. */
function sharedText(id: string, keys: Readonly<Record<string, string>>): string {
  for (const name in keys) if (keys[name] === id) return keys[name];
  return id;
}

/**
 * One kind of entity: by id, least recently used dropped first, and an index from each key (name and value,
 * lowercased, as Schematic's cache keys are) straight to the entity.
 *
 * A key whose lowercased value is the entity's id (`{ id: 'user-1' }` on user `user-1`, as most keys that name an
 * id are) gets no index entry: the id map already holds the entity under that text, so a lookup that finds no
 * entry tries the id map and checks the entity has that key. That saves one map entry per entity (some 40 bytes).
 */
class EntityTable<Wire extends { id: string }, S extends Stored<Wire, ParsedCompany | ParsedUser>> {
  private readonly byId: RecencyMap<string, S>;
  /** Key name → key value → entity: no `name:value` string made per key, and one lookup per key read. */
  private readonly byKey = new Map<string, Map<string, S>>();
  /** The (lowercased) names of keys left out of `byKey` for repeating an id: only lookups by these try the id map. */
  private readonly namesOfIds = new Set<string>();

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
      const loweredName = name.toLowerCase();
      const values = this.byKey.get(loweredName);
      const repeatsIds = this.namesOfIds.has(loweredName);
      // A key no entity has (a visitor's) costs no lowercasing of its value.
      if (values === undefined && !repeatsIds) continue;
      const lowered = value.toLowerCase();
      const indexed = values?.get(lowered);
      // Through the id map, so a read counts as use and an expired entity is not answered.
      if (indexed !== undefined) return this.byId.get(indexed.parsed.id) ?? null;
      const byItsId = repeatsIds ? this.byId.get(lowered) : undefined;
      if (byItsId !== undefined && hasKey(byItsId.parsed.keys, name, loweredName, lowered)) return byItsId;
    }
    return null;
  }

  put(wire: Wire): S {
    const stored = this.keep(wire);
    const id = stored.parsed.id;
    const previous = this.byId.peek(id);
    if (previous) this.unindex(previous);
    this.byId.set(id, stored);
    for (const [name, value] of Object.entries(stored.parsed.keys)) {
      const loweredName = name.toLowerCase();
      const lowered = value.toLowerCase();
      let values = this.byKey.get(loweredName);
      if (lowered === id) {
        // Found through the id map; an entry another entity left under this key must not shadow this one.
        values?.delete(lowered);
        this.namesOfIds.add(loweredName);
        continue;
      }
      if (values === undefined) this.byKey.set(loweredName, (values = new Map()));
      values.set(lowered, stored);
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

/** Whether `keys` holds the key `name` with the value `lowered`, both compared case-insensitively. */
function hasKey(keys: Readonly<Record<string, string>>, name: string, loweredName: string, lowered: string): boolean {
  for (const held in keys) {
    if (held !== name && held.toLowerCase() !== loweredName) continue;
    if ((keys[held] as string).toLowerCase() === lowered) return true;
  }
  return false;
}

/** Companies and users in process memory, bounded by count and optionally by age. */
export class MemoryStore implements EntityStore {
  private readonly companies: EntityTable<WireCompany, StoredCompanyEntry>;
  private readonly users: EntityTable<WireUser, StoredUserRecord>;

  constructor(options: MemoryStoreOptions) {
    this.companies = new EntityTable((wire: WireCompany) => new StoredCompanyEntry(wire, parseCompany(wire)), options);
    this.users = new EntityTable((wire: WireUser) => new StoredUserRecord(parseUser(wire), userExtrasOf(wire)), options);
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
