import type { Server } from 'node:http';
import { type DataStreamEntity, DataStreamClient, type DataStreamSink } from '../sources/datastream/datastream-client';
import { isRedisFailure, type MissedWrite, RedisCatchUp } from '../sources/datastream/redis-catch-up';
import { dataStreamUrl } from '../sources/datastream/url';
import type { WireCompany, WireFlag, WireUser } from '../evaluators/schematic/engine';
import { FlagwireConfigError } from '../core/errors';
import { changesChannel, RedisFanout, supportsPubSub } from '../store/redis-fanout';
import { leveledLogger, type Logger, type LogLevel } from '../core/logger';
import { DEFAULT_BASE_PATH } from '../core/options';
import { deleteEntity, entityTable } from '../store/entity-store';
import { DEFAULT_KEY_PREFIX, ENGINE_VERSION_KEY } from '../store/redis-keys';
import { DEFAULT_ENTITY_TTL_MS, DEFAULT_REDIS_COMMAND_TIMEOUT_MS, type RedisClient, RedisStore } from '../store/redis-store';
import type { ChangeEvent } from '../core/types';
import { type HealthState, startHealthServer } from './health';

export interface ReplicatorOptions {
  /** Schematic secret API key. */
  apiKey: string;
  /** @default 'https://api.schematichq.com' (DataStream at wss://datastream.schematichq.com/datastream) */
  basePath?: string;
  /** A connected node-redis client: where flags, companies and users are written for every other process. */
  redisClient: RedisClient;
  /** @default 'schematic:' */
  redisKeyPrefix?: string;
  /** How long companies and users live in Redis, in ms; 0 keeps them. @default 24 h */
  cacheTTL?: number;
  /** Port of the `/ready` and `/health` endpoints; 0 picks a free one. @default 8090 */
  healthPort?: number;
  /** @default '127.0.0.1' */
  healthHost?: string;
  logger?: Logger;
  logLevel?: LogLevel;
  /** First reconnect wait after a failed connect, doubling to 30 s. @default 1000 */
  reconnectInitialDelayMs?: number;
  /** How long one Redis command may go unanswered before it counts as failed (and Redis as disconnected). @default 1000 */
  redisCommandTimeoutMs?: number;
}

/**
 * The replicator role: one process holds the DataStream socket, subscribes to every company and user, and
 * writes them with the flag set into Redis in Schematic's layout; every other process (flagwire in
 * replicator mode, or Schematic's own SDKs) reads from there. It serves `/ready` and `/health` with
 * Schematic's replicator response, and announces each change on Redis pub/sub.
 */
export class Replicator implements DataStreamSink {
  private readonly store: RedisStore;
  private readonly stream: DataStreamClient;
  private readonly fanout: RedisFanout | null;
  private readonly logger: Logger;
  private health: { server: Server; url: string } | null = null;
  /** The flag set as the stream last sent it: what is written again when Redis missed it. */
  private flags = new Map<string, WireFlag>();
  private readonly catchUp: RedisCatchUp;
  private connected = false;
  private loaded = false;
  /** Whether the latest Redis command answered: the Redis state for a client that reports none itself. */
  private redisAnswered = true;

  constructor(private readonly options: ReplicatorOptions) {
    if (!options.redisClient) throw new FlagwireConfigError('redisClient', 'the replicator writes to Redis: pass a connected node-redis client');
    if (!options.apiKey) throw new FlagwireConfigError('apiKey', 'the replicator needs a Schematic secret API key');
    this.logger = leveledLogger(options.logger, options.logLevel ?? 'warn');
    const prefix = options.redisKeyPrefix ?? DEFAULT_KEY_PREFIX;
    const commandTimeoutMs = options.redisCommandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MS;
    this.store = new RedisStore({
      client: options.redisClient,
      keyPrefix: prefix,
      version: () => ENGINE_VERSION_KEY,
      entityTtlMs: options.cacheTTL ?? DEFAULT_ENTITY_TTL_MS,
      commandTimeoutMs,
    });
    this.fanout = supportsPubSub(options.redisClient) ? new RedisFanout(options.redisClient, changesChannel(prefix), this.logger, { quitTimeoutMs: commandTimeoutMs }) : null;
    this.stream = new DataStreamClient({
      url: dataStreamUrl(options.basePath ?? DEFAULT_BASE_PATH),
      apiKey: options.apiKey,
      connectionMode: 'replicator',
      subscribeAll: true,
      sink: this,
      logger: this.logger,
      reconnectBaseMs: options.reconnectInitialDelayMs,
      onConnectedChange: (connected) => (this.connected = connected),
    });
    this.catchUp = new RedisCatchUp({
      probe: () => this.redis(() => this.store.probe()),
      replay: (missed) => this.stream.inOrder(() => this.replay(missed)),
      resyncAll: async () => this.stream.reconnect(),
      logger: this.logger,
    });
  }

  /** The version segment readers must use: reported as `cache_version` by the health endpoints. */
  get cacheVersion(): string {
    return ENGINE_VERSION_KEY;
  }

  /** Base URL of the health endpoints (`${url}/ready`, `${url}/health`). */
  get healthUrl(): string {
    if (!this.health) throw new Error('replicator not started');
    return this.health.url;
  }

  state(): HealthState {
    const redis = this.redisState();
    return {
      ready: this.connected && this.loaded && redis === 'connected' && !this.catchUp.behind,
      connected: this.connected,
      redis,
      datastream: this.connected ? (this.loaded ? 'ready' : 'connected_loading') : 'disconnected',
      cacheVersion: ENGINE_VERSION_KEY,
    };
  }

  /**
   * Health endpoints up, then the DataStream connection.
   * @throws FlagwireConfigError when the health port cannot be listened on.
   */
  async start(): Promise<this> {
    this.health = await startHealthServer(() => this.state(), this.options.healthPort ?? 8090, this.options.healthHost, (error) =>
      this.logger.error('replicator health server failed', error),
    );
    this.stream.start();
    return this;
  }

  /** Resolves once the first flag set is in Redis. */
  whenReady(): Promise<void> {
    return this.stream.firstFlags;
  }

  async close(): Promise<void> {
    this.catchUp.close();
    this.stream.close();
    await new Promise<void>((resolve) => (this.health ? this.health.server.close(() => resolve()) : resolve()));
    this.health = null;
  }

  // — the sink: a write Redis refuses is kept and done again once it answers (see RedisCatchUp) —

  async replaceFlags(flags: WireFlag[]): Promise<void> {
    const changed = [...new Set([...this.flags.keys(), ...flags.map((f) => f.key)])];
    this.flags = new Map(flags.map((f) => [f.key, f]));
    this.loaded = true;
    if (await this.write({ what: 'flags' }, () => this.writeFlags())) this.announce({ type: 'flags', keys: changed });
  }

  async putFlag(flag: WireFlag): Promise<void> {
    this.flags.set(flag.key, flag);
    if (await this.write({ what: 'flags' }, () => this.store.putFlag(flag))) this.announce({ type: 'flags', keys: [flag.key] });
  }

  async deleteFlag(flag: { id?: string; key?: string }): Promise<void> {
    if (!flag.key) return;
    const { key } = flag;
    this.flags.delete(key);
    if (await this.write({ what: 'flags' }, () => this.store.deleteFlag(key))) this.announce({ type: 'flags', keys: [key] });
  }

  async putEntity(kind: DataStreamEntity, entity: WireCompany | WireUser): Promise<void> {
    if (await this.write({ what: 'put', kind, entity }, () => entityTable(this.store, kind).put(entity))) this.announce({ type: kind, id: entity.id, keys: entity.keys ?? {} });
  }

  async mergeEntity(kind: DataStreamEntity, id: string, merge: (cached: WireCompany | WireUser) => WireCompany | WireUser): Promise<boolean> {
    // Frames are applied one after another and nothing else writes here, so read-then-write cannot interleave.
    let cached: WireCompany | WireUser | undefined;
    try {
      cached = (await this.redis(() => entityTable(this.store, kind).getById(id)))?.wire;
    } catch {
      // The copy to merge into cannot be read: the whole entity is asked for again once Redis answers.
      this.catchUp.miss({ what: 'refetch', kind, id });
      return true;
    }
    if (!cached) return false;
    await this.putEntity(kind, merge(cached));
    return true;
  }

  async deleteEntity(kind: DataStreamEntity, id: string | null, keys: Readonly<Record<string, string>>): Promise<void> {
    const deleted = await this.deleteAndAnnounce(kind, id, keys);
    if (deleted === undefined && id !== null) this.catchUp.miss({ what: 'delete', kind, id, keys });
  }

  /** The id deleted (`null`: nothing to delete), or `undefined` when Redis failed. */
  private async deleteAndAnnounce(kind: DataStreamEntity, id: string | null, keys: Readonly<Record<string, string>>): Promise<string | null | undefined> {
    try {
      const deleted = await this.redis(() => deleteEntity(this.store, kind, id, keys));
      if (deleted !== null) {
        this.catchUp.written({ what: 'delete', kind, id: deleted, keys });
        this.announce({ type: kind, id: deleted, keys });
      }
      return deleted;
    } catch {
      return undefined;
    }
  }

  private async writeFlags(): Promise<void> {
    for (const flag of this.flags.values()) await this.store.putFlag(flag);
    await this.store.deleteFlagsExcept([...this.flags.keys()]);
  }

  /** Runs a Redis write; a failure is kept for the catch-up (and reported by it), never thrown at the stream. */
  private async write(miss: MissedWrite, work: () => Promise<unknown>): Promise<boolean> {
    try {
      await this.redis(work);
      this.catchUp.written(miss);
      return true;
    } catch (error) {
      if (!isRedisFailure(error)) throw error;
      this.catchUp.miss(miss);
      return false;
    }
  }

  /** Does the missed writes again, the newest version of each; a refetch asks the server (its answer is a frame). */
  private async replay(missed: readonly MissedWrite[]): Promise<void> {
    for (const write of missed) {
      switch (write.what) {
        case 'flags':
          await this.redis(() => this.writeFlags());
          this.announce({ type: 'flags', keys: [...this.flags.keys()] });
          break;
        case 'put':
          await this.redis(() => entityTable(this.store, write.kind).put(write.entity));
          this.announce({ type: write.kind, id: write.entity.id, keys: write.entity.keys ?? {} });
          break;
        case 'delete':
          if ((await this.deleteAndAnnounce(write.kind, write.id, write.keys)) === undefined) throw new Error('Redis failed again');
          break;
        case 'refetch': {
          const stored = await this.redis(() => entityTable(this.store, write.kind).getById(write.id));
          // Not awaited: the answer arrives as a frame, applied after this replay.
          if (stored) this.stream.requestEntity(write.kind, stored.wire.keys ?? {}).catch(() => this.catchUp.miss(write));
          break;
        }
      }
    }
  }

  /** Runs Redis work, remembering whether Redis answered (a failure or a timeout means it did not). */
  private async redis<T>(work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      this.redisAnswered = true;
      return result;
    } catch (error) {
      if (isRedisFailure(error)) this.redisAnswered = false;
      throw error;
    }
  }

  /** The client's own readiness when it reports one (node-redis does), and the latest command's outcome. */
  private redisState(): HealthState['redis'] {
    const client = this.options.redisClient as { isReady?: unknown; isOpen?: unknown };
    const reported = typeof client.isReady === 'boolean' ? client.isReady : typeof client.isOpen === 'boolean' ? client.isOpen : true;
    return reported && this.redisAnswered ? 'connected' : 'disconnected';
  }

  private announce(event: ChangeEvent): void {
    this.fanout?.publish(event);
  }
}

/** Starts a replicator: health endpoints up, DataStream connecting. */
export function createReplicator(options: ReplicatorOptions): Promise<Replicator> {
  return new Replicator(options).start();
}
