import type { ParsedCompany, ParsedUser, WireCompany, WireUser } from '../evaluators/schematic/engine';

export type EntityKind = 'company' | 'user';

/** An entity as stored: its wire form (what is written, merged and shared) and its parsed form (what is evaluated). */
export interface Stored<Wire, Parsed> {
  readonly wire: Wire;
  readonly parsed: Parsed;
}

export type StoredCompany = Stored<WireCompany, ParsedCompany>;
export type StoredUser = Stored<WireUser, ParsedUser>;

/**
 * Where companies and users live. Lookups take any of an entity's keys (`{ domain: 'acme.test' }`), matched
 * case-insensitively through a key → id index, as Schematic's caches do. The memory store implements it;
 * a Redis store shares it across processes.
 */
export interface EntityStore {
  getCompany(keys: Readonly<Record<string, string>>): Promise<StoredCompany | null>;
  getUser(keys: Readonly<Record<string, string>>): Promise<StoredUser | null>;
  /** Stores the company, replacing any with its id; its key index follows its current keys. */
  putCompany(company: WireCompany): Promise<StoredCompany>;
  putUser(user: WireUser): Promise<StoredUser>;
  deleteCompany(id: string): Promise<void>;
  deleteUser(id: string): Promise<void>;
  getCompanyById(id: string): Promise<StoredCompany | null>;
  getUserById(id: string): Promise<StoredUser | null>;
  /**
   * Synchronous lookups, for stores that hold entities in process memory: they let a check skip the
   * promise and timeout machinery entirely. Stores that must ask elsewhere leave them out.
   */
  peekCompany?(keys: Readonly<Record<string, string>>): StoredCompany | null;
  peekUser?(keys: Readonly<Record<string, string>>): StoredUser | null;
}

/** The index entry for one key: name and value, lowercased, as Schematic's cache keys lowercase them. */
export function keyIndexEntry(name: string, value: string): string {
  return `${name.toLowerCase()}:${value.toLowerCase()}`;
}

/** A key set as given: only its string values are keys (contexts come from app code and may hold anything). */
function stringKeys(keys: unknown): [string, string][] {
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) return [];
  const entries: [string, string][] = [];
  for (const [name, value] of Object.entries(keys)) if (typeof value === 'string') entries.push([name.toLowerCase(), value.toLowerCase()]);
  return entries;
}

/**
 * Whether two key sets share a key: the same name and value, compared case-insensitively. Never throws:
 * values that are not strings are ignored, and anything that is not a key object shares nothing.
 */
export function keysOverlap(a: unknown, b: unknown): boolean {
  const left = stringKeys(a);
  if (left.length === 0) return false;
  const right = stringKeys(b);
  return left.some(([name, value]) => right.some(([n, v]) => n === name && v === value));
}

type AnyStored = Stored<WireCompany | WireUser, ParsedCompany | ParsedUser>;

/** The store's operations for one kind of entity, for code that handles companies and users alike. */
export interface EntityTableView {
  get(keys: Readonly<Record<string, string>>): Promise<AnyStored | null>;
  getById(id: string): Promise<AnyStored | null>;
  put(entity: WireCompany | WireUser): Promise<AnyStored>;
  delete(id: string): Promise<void>;
}

export function entityTable(store: EntityStore, kind: EntityKind): EntityTableView {
  return kind === 'company'
    ? {
        get: (keys) => store.getCompany(keys),
        getById: (id) => store.getCompanyById(id),
        put: (entity) => store.putCompany(entity as WireCompany),
        delete: (id) => store.deleteCompany(id),
      }
    : {
        get: (keys) => store.getUser(keys),
        getById: (id) => store.getUserById(id),
        put: (entity) => store.putUser(entity as WireUser),
        delete: (id) => store.deleteUser(id),
      };
}

/** Deletes an entity named by id, or else by keys; returns the id deleted, or `null` when there was none. */
export async function deleteEntity(store: EntityStore, kind: EntityKind, id: string | null, keys: Readonly<Record<string, string>>): Promise<string | null> {
  const table = entityTable(store, kind);
  const found = id ?? (await table.get(keys))?.wire.id ?? null;
  if (found !== null) await table.delete(found);
  return found;
}
