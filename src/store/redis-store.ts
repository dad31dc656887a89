import { parseCompany, type ParsedFlag, parseFlag, parseUser, type WireCompany, type WireFlag, type WireUser } from '../evaluators/schematic/engine';
import type { EntityStore, Stored, StoredCompany, StoredUser } from './entity-store';
import { type EntityKind, RedisKeys } from './redis-keys';
import { rejectAfter } from '../core/within';

/**
 * The Redis client flagwire takes: node-redis (the `redis` package), the same client Schematic's Node SDK
 * takes, so one connection serves both during a migration. Only these commands are used; v4's API is the
 * reference, v5's batched `scanIterator` is accepted too.
 */
export interface RedisClient {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<unknown>;
  setEx(key: string, seconds: number, value: string): Promise<unknown>;
  del(key: string | string[]): Promise<unknown>;
  scanIterator(options: { MATCH: string; COUNT: number }): AsyncIterable<string | string[]>;
  /** node-redis's "connected and answering" flag, when the client has one. */
  readonly isReady?: boolean;
}

export interface RedisStoreOptions {
  client: RedisClient;
  /** @default 'schematic:' */
  keyPrefix: string;
  /** The version segment of every key, read on each call (the replicator's can change). */
  version: () => string;
  /** How long companies, users and key maps live, in ms; 0 keeps them until deleted. @default 24 h */
  entityTtlMs: number;
  /** How long one Redis command may go unanswered before it fails. @default 1 s */
  commandTimeoutMs?: number;
}

export const DEFAULT_ENTITY_TTL_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 1000;
const THIRTY_DAYS_MS = 30 * 24 * 60 * 60 * 1000;
/** Parsed forms kept per raw value, so an unchanged entity is not parsed again on every read. */
const PARSE_MEMO_SIZE = 10_000;

type Table<Wire, Parsed> = { kind: EntityKind; parse: (wire: Wire) => Parsed };
const COMPANIES: Table<WireCompany, ReturnType<typeof parseCompany>> = { kind: 'company', parse: parseCompany };
const USERS: Table<WireUser, ReturnType<typeof parseUser>> = { kind: 'user', parse: parseUser };

/** A Redis command that got no answer in time (Redis paused, unreachable, or its offline queue holding it). */
export class RedisTimeoutError extends Error {
  constructor(command: string, ms: number) {
    super(`[flagwire] Redis ${command} got no answer within ${ms} ms`);
    this.name = 'RedisTimeoutError';
  }
}

/** `work`, or a `RedisTimeoutError` once `ms` pass first. The timer never keeps the process alive. */
export function redisTimeout<T>(work: Promise<T>, ms: number, command: string): Promise<T> {
  return rejectAfter(work, ms, () => new RedisTimeoutError(command, ms));
}

/** Each step of a scan under the timeout; a scan given up on is told to stop. */
async function* timedScan<T>(items: AsyncIterable<T>, ms: number): AsyncIterable<T> {
  const iterator = items[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const step = await redisTimeout(iterator.next(), ms, 'SCAN');
      if (step.done) {
        finished = true;
        return;
      }
      yield step.value;
    }
  } finally {
    if (!finished) iterator.return?.().catch(() => undefined);
  }
}

/**
 * The client with every command bounded: node-redis queues commands while Redis is away and never fails
 * them, so without this a paused Redis would hold every read, write and `close()` forever.
 */
function timedClient(client: RedisClient, ms: number): RedisClient {
  return {
    get: (key) => redisTimeout(client.get(key), ms, 'GET'),
    set: (key, value) => redisTimeout(client.set(key, value), ms, 'SET'),
    setEx: (key, seconds, value) => redisTimeout(client.setEx(key, seconds, value), ms, 'SETEX'),
    del: (key) => redisTimeout(client.del(key), ms, 'DEL'),
    scanIterator: (options) => timedScan(client.scanIterator(options), ms),
  };
}

/**
 * Companies, users and flags in Redis, in Schematic's key layout with snake_case JSON values: a cache
 * several flagwire processes — and Schematic's own SDKs and replicator — can share.
 */
export class RedisStore implements EntityStore {
  private readonly keys: RedisKeys;
  private readonly memo = new Map<string, Stored<unknown, unknown>>();
  /** The caller's client, every command bounded by `commandTimeoutMs`. */
  private readonly client: RedisClient;

  constructor(private readonly options: RedisStoreOptions) {
    this.keys = new RedisKeys(options.keyPrefix, options.version);
    this.client = timedClient(options.client, options.commandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MS);
  }

  getCompany(keys: Readonly<Record<string, string>>): Promise<StoredCompany | null> {
    return this.get(COMPANIES, keys);
  }

  getUser(keys: Readonly<Record<string, string>>): Promise<StoredUser | null> {
    return this.get(USERS, keys);
  }

  putCompany(company: WireCompany): Promise<StoredCompany> {
    return this.put(COMPANIES, company);
  }

  putUser(user: WireUser): Promise<StoredUser> {
    return this.put(USERS, user);
  }

  deleteCompany(id: string): Promise<void> {
    return this.delete(COMPANIES, id);
  }

  deleteUser(id: string): Promise<void> {
    return this.delete(USERS, id);
  }

  getCompanyById(id: string): Promise<StoredCompany | null> {
    return this.getById(COMPANIES, id);
  }

  getUserById(id: string): Promise<StoredUser | null> {
    return this.getById(USERS, id);
  }

  private async getById<W, P>(table: Table<W, P>, id: string): Promise<Stored<W, P> | null> {
    const raw = await this.client.get(this.keys.entity(table.kind, id));
    return raw === null ? null : this.parseMemo(raw, (wire: W) => ({ wire, parsed: table.parse(wire) }));
  }

  /** Resolves when Redis answers a command (a read of a key nothing writes); rejects as any command would. */
  async probe(): Promise<void> {
    await this.client.get(`${this.options.keyPrefix}probe`);
  }

  async getFlag(key: string): Promise<ParsedFlag | null> {
    const raw = await this.client.get(this.keys.flag(key));
    return raw === null ? null : (this.parseMemo(raw, (wire: WireFlag) => ({ wire, parsed: parseFlag(wire) })).parsed as ParsedFlag);
  }

  async putFlag(flag: WireFlag): Promise<void> {
    // Flags outlive entities: at least 30 days, as Schematic's SDKs keep them.
    await this.write(this.keys.flag(flag.key), JSON.stringify(flag), Math.max(THIRTY_DAYS_MS, this.options.entityTtlMs));
  }

  async deleteFlag(key: string): Promise<void> {
    await this.client.del(this.keys.flag(key));
  }

  /** Every flag stored under the current version. */
  async allFlags(): Promise<ParsedFlag[]> {
    const flags: ParsedFlag[] = [];
    for await (const key of this.scan(this.keys.flagPattern())) {
      const raw = await this.client.get(key);
      if (raw !== null) flags.push(this.parseMemo(raw, (wire: WireFlag) => ({ wire, parsed: parseFlag(wire) })).parsed as ParsedFlag);
    }
    return flags;
  }

  /** Deletes stored flags whose keys are not in `keep` (after a full flag set arrives). */
  async deleteFlagsExcept(keep: readonly string[]): Promise<void> {
    const kept = new Set(keep.map((k) => this.keys.flag(k)));
    const stale: string[] = [];
    for await (const key of this.scan(this.keys.flagPattern())) if (!kept.has(key)) stale.push(key);
    if (stale.length > 0) await this.client.del(stale);
  }

  private async *scan(pattern: string): AsyncIterable<string> {
    for await (const item of this.client.scanIterator({ MATCH: pattern, COUNT: 100 })) {
      if (Array.isArray(item)) yield* item;
      else yield item;
    }
  }

  private async get<W, P>(table: Table<W, P>, keys: Readonly<Record<string, string>>): Promise<Stored<W, P> | null> {
    for (const [name, value] of Object.entries(keys)) {
      const idJson = await this.client.get(this.keys.keyMap(table.kind, name, value));
      if (idJson === null) continue;
      const id = JSON.parse(idJson) as unknown;
      if (typeof id !== 'string') continue;
      const raw = await this.client.get(this.keys.entity(table.kind, id));
      if (raw !== null) return this.parseMemo(raw, (wire: W) => ({ wire, parsed: table.parse(wire) }));
    }
    return null;
  }

  private async put<W extends { id: string; keys?: Record<string, string> | null }, P>(table: Table<W, P>, wire: W): Promise<Stored<W, P>> {
    const stored = { wire, parsed: table.parse(wire) };
    const entityKey = this.keys.entity(table.kind, wire.id);
    // Key maps the entity no longer has go first, so a stale key can never find it again.
    const previousRaw = await this.client.get(entityKey);
    if (previousRaw !== null) {
      const previousKeys = (JSON.parse(previousRaw) as { keys?: Record<string, string> | null }).keys ?? {};
      const gone = Object.entries(previousKeys).filter(([name, value]) => wire.keys?.[name] !== value);
      if (gone.length > 0) await this.client.del(gone.map(([name, value]) => this.keys.keyMap(table.kind, name, value)));
    }
    const raw = JSON.stringify(wire);
    await this.write(entityKey, raw, this.options.entityTtlMs);
    for (const [name, value] of Object.entries(wire.keys ?? {})) {
      await this.write(this.keys.keyMap(table.kind, name, value), JSON.stringify(wire.id), this.options.entityTtlMs);
    }
    this.memo.set(raw, stored as Stored<unknown, unknown>);
    return stored;
  }

  private async delete<W extends { keys?: Record<string, string> | null }, P>(table: Table<W, P>, id: string): Promise<void> {
    const entityKey = this.keys.entity(table.kind, id);
    const raw = await this.client.get(entityKey);
    const keys = raw === null ? {} : ((JSON.parse(raw) as W).keys ?? {});
    await this.client.del([entityKey, ...Object.entries(keys).map(([name, value]) => this.keys.keyMap(table.kind, name, value))]);
  }

  private write(key: string, value: string, ttlMs: number): Promise<unknown> {
    return ttlMs > 0 ? this.client.setEx(key, Math.max(1, Math.round(ttlMs / 1000)), value) : this.client.set(key, value);
  }

  private parseMemo<W, P>(raw: string, parse: (wire: W) => Stored<W, P>): Stored<W, P> {
    const hit = this.memo.get(raw);
    if (hit) return hit as Stored<W, P>;
    const stored = parse(JSON.parse(raw) as W);
    if (this.memo.size >= PARSE_MEMO_SIZE) this.memo.delete(this.memo.keys().next().value as string);
    this.memo.set(raw, stored as Stored<unknown, unknown>);
    return stored;
  }
}
