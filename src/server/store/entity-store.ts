import type { ParsedCompany, ParsedUser, WireCompany, WireUser } from '../engine';

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
