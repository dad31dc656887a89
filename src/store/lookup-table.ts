import { keyIndexEntry } from './entity-store';

/** What one lookup found (`null`: the store had no such entity), until when it may be served, and the index tokens it sits under. */
interface Entry<S> {
  readonly found: S | null;
  readonly expiresAt: number;
  readonly tokens: readonly string[];
}

/** The index entries of a lookup's string keys, in the order given (the store tries them in that order). */
export function queryEntries(keys: Readonly<Record<string, string>>): string[] {
  const entries: string[] = [];
  for (const name in keys) {
    const value = keys[name];
    if (typeof value === 'string') entries.push(keyIndexEntry(name, value));
  }
  return entries;
}

/** A lookup's identity: its query entries joined; `''` when it has none (such lookups are never cached). */
export function lookupKey(keys: Readonly<Record<string, string>>): string {
  let key = '';
  for (const name in keys) {
    const value = keys[name];
    if (typeof value === 'string') key = key === '' ? keyIndexEntry(name, value) : `${key}\n${keyIndexEntry(name, value)}`;
  }
  return key;
}

const keyToken = (entry: string) => `k\n${entry}`;
const idToken = (id: string) => `i\n${id}`;

/**
 * Lookups and what they found, bounded by count (least recently used first out) and by age. Entries are
 * cached per lookup, not per entity, so a hit answers exactly what the store answered for the same keys —
 * including "none" — and each is indexed by its query keys and the id it found, so a change to an entity
 * drops every lookup whose answer it could alter.
 */
export class LookupTable<S extends { readonly wire: { readonly id: string } }> {
  /** In use order: the first is the least recently used (a `Map` keeps insertion order). */
  private readonly entries = new Map<string, Entry<S>>();
  private readonly lookupsByToken = new Map<string, Set<string>>();

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The fresh answer for a lookup (`null`: known absent), or `undefined` when there is none. */
  get(lookup: string, now: number): S | null | undefined {
    const entry = this.entries.get(lookup);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.remove(lookup);
      return undefined;
    }
    this.entries.delete(lookup);
    this.entries.set(lookup, entry);
    return entry.found;
  }

  set(keys: Readonly<Record<string, string>>, found: S | null, expiresAt: number): void {
    const lookup = lookupKey(keys);
    if (lookup === '') return;
    this.remove(lookup);
    const tokens = queryEntries(keys).map(keyToken);
    if (found !== null) tokens.push(idToken(found.wire.id));
    this.entries.set(lookup, { found, expiresAt, tokens });
    for (const token of tokens) {
      const lookups = this.lookupsByToken.get(token);
      if (lookups) lookups.add(lookup);
      else this.lookupsByToken.set(token, new Set([lookup]));
    }
    if (this.entries.size > this.maxEntries) this.remove(this.entries.keys().next().value as string);
  }

  /** Drops every lookup that found entity `id`, or that asked by one of `keys` (whose answer the entity may now be). */
  dropEntity(id: string, keys: Readonly<Record<string, string>>): void {
    const tokens = [idToken(id), ...queryEntries(keys).map(keyToken)];
    for (const token of tokens) for (const lookup of [...(this.lookupsByToken.get(token) ?? [])]) this.remove(lookup);
  }

  clear(): void {
    this.entries.clear();
    this.lookupsByToken.clear();
  }

  private remove(lookup: string): void {
    const entry = this.entries.get(lookup);
    if (!entry) return;
    this.entries.delete(lookup);
    for (const token of entry.tokens) {
      const lookups = this.lookupsByToken.get(token);
      lookups?.delete(lookup);
      if (lookups?.size === 0) this.lookupsByToken.delete(token);
    }
  }
}
