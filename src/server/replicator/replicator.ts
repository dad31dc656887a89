import type { Server } from 'node:http';
import { type DataStreamEntity, DataStreamClient, type DataStreamSink } from '../datastream/datastream-client';
import { dataStreamUrl } from '../datastream/url';
import type { WireCompany, WireFlag, WireUser } from '../engine';
import { FlagwireConfigError } from '../errors';
import { changesChannel, RedisFanout, supportsPubSub } from '../fanout/redis-fanout';
import { leveledLogger, type Logger, type LogLevel } from '../logger';
import { DEFAULT_BASE_PATH } from '../options';
import { deleteEntity, entityTable } from '../store/entity-store';
import { DEFAULT_KEY_PREFIX, ENGINE_VERSION_KEY } from '../store/redis-keys';
import { DEFAULT_ENTITY_TTL_MS, DEFAULT_REDIS_COMMAND_TIMEOUT_MS, type RedisClient, RedisStore } from '../store/redis-store';
import type { ChangeEvent } from '../types';
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
  private flagKeys = new Set<string>();
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
      ready: this.connected && this.loaded && redis === 'connected',
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
    this.stream.close();
    await new Promise<void>((resolve) => (this.health ? this.health.server.close(() => resolve()) : resolve()));
    this.health = null;
  }

  // — the sink —

  async replaceFlags(flags: WireFlag[]): Promise<void> {
    await this.redis(async () => {
      for (const flag of flags) await this.store.putFlag(flag);
      await this.store.deleteFlagsExcept(flags.map((f) => f.key));
    });
    const keys = new Set(flags.map((f) => f.key));
    const changed = [...new Set([...this.flagKeys, ...keys])];
    this.flagKeys = keys;
    this.loaded = true;
    this.announce({ type: 'flags', keys: changed });
  }

  async putFlag(flag: WireFlag): Promise<void> {
    await this.redis(() => this.store.putFlag(flag));
    this.flagKeys.add(flag.key);
    this.announce({ type: 'flags', keys: [flag.key] });
  }

  async deleteFlag(flag: { id?: string; key?: string }): Promise<void> {
    if (!flag.key) return;
    const { key } = flag;
    await this.redis(() => this.store.deleteFlag(key));
    this.flagKeys.delete(flag.key);
    this.announce({ type: 'flags', keys: [flag.key] });
  }

  async putEntity(kind: DataStreamEntity, entity: WireCompany | WireUser): Promise<void> {
    const stored = await this.redis(() => entityTable(this.store, kind).put(entity));
    this.announce({ type: kind, id: stored.wire.id, keys: stored.wire.keys ?? {} });
  }

  async mergeEntity(kind: DataStreamEntity, id: string, merge: (cached: WireCompany | WireUser) => WireCompany | WireUser): Promise<boolean> {
    // Frames are applied one after another and nothing else writes here, so read-then-write cannot interleave.
    const cached = (await this.redis(() => entityTable(this.store, kind).getById(id)))?.wire;
    if (!cached) return false;
    await this.putEntity(kind, merge(cached));
    return true;
  }

  async deleteEntity(kind: DataStreamEntity, id: string | null, keys: Readonly<Record<string, string>>): Promise<void> {
    const deleted = await this.redis(() => deleteEntity(this.store, kind, id, keys));
    if (deleted !== null) this.announce({ type: kind, id: deleted, keys });
  }

  /** Runs Redis work, remembering whether Redis answered (a failure or a timeout means it did not). */
  private async redis<T>(work: () => Promise<T>): Promise<T> {
    try {
      const result = await work();
      this.redisAnswered = true;
      return result;
    } catch (error) {
      this.redisAnswered = false;
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
