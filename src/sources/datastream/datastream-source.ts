import { parseCompany, type ParsedFlag, parseFlag, parseUser, type WireCompany, type WireFlag, type WireUser } from '../../evaluators/schematic/engine';
import { hasKeys } from '../../core/entity-details';
import type { FlagSink, FlagSource, StoredSubjects, SubjectLookup } from '../../core/flag-set';
import { SerialByKey } from '../../core/internal/serial-by-key';
import type { ResolvedOptions } from '../../core/options';
import type { ChangeEvent, EvaluationContext, TrackBody } from '../../core/types';
import { SchematicFlagSet } from '../../evaluators/schematic/schematic-flags';
import { deleteEntity, type EntityStore, entityTable } from '../../store/entity-store';
import { MemoryStore } from '../../store/memory-store';
import { NearCachedStore } from '../../store/near-cache';
import { changesChannel, RedisFanout, supportsPubSub } from '../../store/redis-fanout';
import { ENGINE_VERSION_KEY } from '../../store/redis-keys';
import { RedisStore } from '../../store/redis-store';
import { type DataStreamEntity, DataStreamClient, type DataStreamSink } from './datastream-client';
import { isRedisFailure, type MissedWrite, RedisCatchUp } from './redis-catch-up';
import { dataStreamUrl } from './url';

type Keys = Readonly<Record<string, string>>;

/**
 * Schematic's DataStream as a source: the flag set pushed over a WebSocket, and companies and users cached as
 * they are asked for (fetched over the socket when missing) and pushed. With Redis the cache is shared with other
 * processes (and Schematic's own SDKs), changes are announced on pub/sub, and a near cache keeps warm lookups in
 * memory; what Redis refuses is written again once it answers. While the socket is down, what is cached keeps
 * serving (stale).
 */
export class DataStreamSource implements FlagSource, SubjectLookup, DataStreamSink {
  private readonly store: EntityStore;
  private readonly redis: RedisStore | null;
  /** In front of Redis when change notices are available: warm checks skip both Redis round trips. */
  private readonly nearCache: NearCachedStore | null;
  private readonly stream: DataStreamClient;
  private flags = new Map<string, { wire: WireFlag; parsed: ParsedFlag }>();
  /** With Redis: what Redis refused, written again once it answers. */
  private readonly catchUp: RedisCatchUp | null;
  /** Every write of one company or user, from the stream or from track(), in turn: none undoes another. */
  private readonly entityWrites = new SerialByKey();
  /** With a shared Redis, changes are announced so replicator-mode readers follow at once. */
  private readonly fanout: RedisFanout | null;
  private sink: FlagSink | null = null;

  constructor(private readonly options: ResolvedOptions) {
    const stream = options.dataStream;
    this.redis = stream.redisClient
      ? new RedisStore({ client: stream.redisClient, keyPrefix: stream.redisKeyPrefix, version: () => ENGINE_VERSION_KEY, entityTtlMs: stream.cacheTTL })
      : null;
    this.fanout = stream.redisClient && supportsPubSub(stream.redisClient) ? new RedisFanout(stream.redisClient, changesChannel(stream.redisKeyPrefix), options.logger) : null;
    // Only with change notices: they are what keeps a near cache in step with the other processes.
    this.nearCache = this.redis && this.fanout ? new NearCachedStore(this.redis, { maxEntities: options.maxEntities }) : null;
    this.store = this.nearCache ?? this.redis ?? new MemoryStore({ maxEntities: options.maxEntities, ttlMs: stream.cacheTTL });
    this.stream = new DataStreamClient({
      url: dataStreamUrl(options.basePath),
      apiKey: options.apiKey,
      connectionMode: 'datastream',
      sink: this,
      logger: options.logger,
      reconnectBaseMs: stream.reconnectBaseMs,
      onConnectedChange: () => this.tellHealth(),
    });
    this.catchUp = this.redis ? this.redisCatchUp(this.redis) : null;
  }

  start(sink: FlagSink): void {
    this.sink = sink;
    // Other instances' webhooks: follow them (their DataStream pushes reach this instance on its own socket).
    void this.fanout
      ?.subscribe(
        (event, invalidate) => {
          // Their write to Redis: what this process near-caches of the entity is stale.
          if (!invalidate) return this.nearCache?.drop(event);
          void this.dropCached(event).then(() => sink.notify(event));
        },
        (live) => this.nearCache?.setTrusted(live),
      )
      .catch((error: Error) => this.options.logger.warn(`change notices unavailable: ${error.message}`));
    this.stream.start();
  }

  // — lookup —

  /** Company and user from an in-memory cache without waiting; `null` when one must be fetched or asked for. */
  now(context: EvaluationContext): StoredSubjects | null {
    const { peekCompany, peekUser } = this.store;
    if (!peekCompany || !peekUser) return null;
    const company = hasKeys(context?.company) ? peekCompany.call(this.store, context.company) : undefined;
    const user = hasKeys(context?.user) ? peekUser.call(this.store, context.user) : undefined;
    if (company === null || user === null) return null;
    return { company: company?.parsed ?? null, user: user?.parsed ?? null };
  }

  /** Company and user from the cache, fetched over the socket when missing (both at once). */
  async get(context: EvaluationContext, signal: AbortSignal): Promise<StoredSubjects> {
    const [company, user] = await Promise.all([
      hasKeys(context?.company) ? this.entity('company', context.company, signal) : null,
      hasKeys(context?.user) ? this.entity('user', context.user, signal) : null,
    ]);
    return { company: company as StoredSubjects['company'], user: user as StoredSubjects['user'] };
  }

  /**
   * Counts a tracked event in the cached company's matching metrics, as Schematic's SDK does. With companies in
   * memory the count is in place when the returned promise settles (a microtask later); with Redis it is queued
   * behind the company's other writes, and the caller never waits on Redis for it.
   */
  countTrack(body: TrackBody): void | Promise<void> {
    if (!this.stream.connected || !hasKeys(body.company)) return;
    const counted = this.countLocally(body.company, body.event, body.quantity ?? 1);
    if (!this.redis) return counted;
    counted.catch((error: Error) => this.options.logger.warn(`tracked usage was sent but not counted in the cached company: ${error?.message ?? error}`));
  }

  async invalidate(change: ChangeEvent): Promise<void> {
    await this.dropCached(change);
    this.fanout?.publish(change, { invalidate: true });
  }

  async close(): Promise<void> {
    this.catchUp?.close();
    this.stream.close();
    await this.fanout?.close();
  }

  // — the DataStream client's sink: what DataStream says, applied to the cache —

  async replaceFlags(wires: WireFlag[]): Promise<void> {
    const next = new Map<string, { wire: WireFlag; parsed: ParsedFlag }>();
    for (const wire of wires) {
      const parsed = this.parseFlagOrWarn(wire);
      if (parsed) next.set(parsed.key, { wire, parsed });
    }
    const changed = this.setFlags(next);
    await this.mirror((redis) => this.writeFlagSet(redis));
    this.publishFlags(changed);
  }

  async putFlag(wire: WireFlag): Promise<void> {
    const parsed = this.parseFlagOrWarn(wire);
    if (!parsed) return;
    const changed = this.setFlags(new Map(this.flags).set(parsed.key, { wire, parsed }));
    await this.mirror((redis) => redis.putFlag(wire));
    this.publishFlags(changed);
  }

  async deleteFlag(flag: { id?: string; key?: string }): Promise<void> {
    const key = flag.key ?? [...this.flags.values()].find((f) => f.parsed.id === flag.id)?.parsed.key;
    if (!key || !this.flags.has(key)) return;
    const next = new Map(this.flags);
    next.delete(key);
    const changed = this.setFlags(next);
    await this.mirror((redis) => redis.deleteFlag(key));
    this.publishFlags(changed);
  }

  putEntity(kind: DataStreamEntity, entity: WireCompany | WireUser): Promise<void> {
    return this.entityWrites.run(`${kind}:${entity.id}`, () => this.keepOrMiss({ what: 'put', kind, entity }, () => this.writeEntity(kind, entity)));
  }

  mergeEntity(kind: DataStreamEntity, id: string, merge: (cached: WireCompany | WireUser) => WireCompany | WireUser): Promise<boolean> {
    return this.entityWrites.run(`${kind}:${id}`, async () => {
      let cached: WireCompany | WireUser | undefined;
      try {
        cached = (await entityTable(this.store, kind).getById(id))?.wire;
      } catch (error) {
        if (!this.catchUp || !isRedisFailure(error)) throw error;
        // The copy to merge into cannot be read: the whole entity is asked for again once Redis answers.
        this.catchUp.miss({ what: 'refetch', kind, id });
        return true;
      }
      if (!cached) return false;
      const merged = merge(cached);
      await this.keepOrMiss({ what: 'put', kind, entity: merged }, () => this.writeEntity(kind, merged));
      return true;
    });
  }

  async deleteEntity(kind: DataStreamEntity, id: string | null, keys: Keys): Promise<void> {
    const found = id ?? (await entityTable(this.store, kind).get(keys))?.wire.id ?? null;
    if (found === null) return;
    await this.entityWrites.run(`${kind}:${found}`, () => this.keepOrMiss({ what: 'delete', kind, id: found, keys }, () => deleteEntity(this.store, kind, found, keys)));
    this.announce({ type: kind, id: found, keys });
  }

  /** The flags as they are now, delivered; resolves the keys of those that changed. */
  private setFlags(next: Map<string, { wire: WireFlag; parsed: ParsedFlag }>): readonly string[] {
    this.flags = next;
    const flags = new SchematicFlagSet({
      flags: new Map([...next].map(([key, flag]) => [key, flag.parsed])),
      fingerprint: (key) => {
        const wire = next.get(key)?.wire;
        return wire === undefined ? undefined : JSON.stringify(wire);
      },
      requestAttributes: false,
    });
    return this.sink?.replace(flags) ?? [];
  }

  /** Tells the other processes which flags changed, once Redis has them (they read the flags from there). */
  private publishFlags(changed: readonly string[]): void {
    if (changed.length > 0) this.fanout?.publish({ type: 'flags', keys: [...changed] });
  }

  private async writeEntity(kind: DataStreamEntity, entity: WireCompany | WireUser): Promise<void> {
    // Parsing validates: an entity the engine would reject never reaches the cache.
    const stored = await entityTable(this.store, kind).put(entity);
    this.announce({ type: kind, id: stored.wire.id, keys: stored.wire.keys ?? {} });
  }

  private announce(event: ChangeEvent): void {
    this.sink?.notify(event);
    this.fanout?.publish(event);
  }

  private parseFlagOrWarn(wire: WireFlag): ParsedFlag | null {
    try {
      return parseFlag(wire);
    } catch (error) {
      this.options.logger.warn(`DataStream sent a flag flagwire cannot read; skipped: ${(error as Error).message}`);
      return null;
    }
  }

  private async entity(kind: DataStreamEntity, keys: Keys, signal: AbortSignal) {
    const cached = await entityTable(this.store, kind).get(keys);
    if (cached) return cached.parsed;
    const wire = await this.stream.requestEntity(kind, keys, signal);
    return kind === 'company' ? parseCompany(wire) : parseUser(wire);
  }

  /** Forgets a changed company or user (the next check fetches it again) or asks for the flag set again. */
  private async dropCached(change: ChangeEvent): Promise<void> {
    this.nearCache?.drop(change);
    if (change.type === 'flags') this.stream.refreshFlags();
    else await entityTable(this.store, change.type).delete(change.id);
  }

  /** Adds the event to the company's copy, read again inside its write turn so no concurrent update is undone. */
  private async countLocally(keys: Keys, event: string, quantity: number): Promise<void> {
    const found = await this.store.getCompany(keys);
    if (!found) return;
    await this.entityWrites.run(`company:${found.wire.id}`, async () => {
      const company = (await this.store.getCompanyById(found.wire.id))?.wire;
      const metrics = company?.metrics ?? [];
      if (!company || !metrics.some((m) => m.event_subtype === event)) return;
      const counted = { ...company, metrics: metrics.map((m) => (m.event_subtype === event ? { ...m, value: m.value + quantity } : m)) };
      await this.keepOrMiss({ what: 'put', kind: 'company', entity: counted }, () => this.writeEntity('company', counted));
    });
  }

  // — Redis: copies for other processes, and catching up after Redis failed —

  /**
   * Copies a flag change into Redis for other processes. The flags in memory are what this process answers
   * from, so a Redis that fails or stalls must not stop them (nor the client becoming ready): the flag set is
   * written again once Redis answers.
   */
  private async mirror(write: (redis: RedisStore) => Promise<void>): Promise<void> {
    if (this.redis) await this.keepOrMiss({ what: 'flags' }, () => write(this.redis as RedisStore));
  }

  /** Redis work for the stream or a count; with Redis, a failure is kept for the catch-up, never thrown at the stream. */
  private async keepOrMiss(miss: MissedWrite, work: () => Promise<unknown>): Promise<void> {
    if (!this.catchUp) return void (await work());
    try {
      await work();
      this.catchUp.written(miss);
    } catch (error) {
      if (!isRedisFailure(error)) throw error;
      this.catchUp.miss(miss);
    }
  }

  private redisCatchUp(redis: RedisStore): RedisCatchUp {
    return new RedisCatchUp({
      probe: () => redis.probe(),
      replay: (missed) => this.stream.inOrder(() => this.replay(redis, missed)),
      resyncAll: async () => this.stream.reconnect(),
      onBehindChange: () => this.tellHealth(),
      logger: this.options.logger,
    });
  }

  /** Does the missed writes again, each the newest version; a refetch asks the server (its answer is a frame). */
  private async replay(redis: RedisStore, missed: readonly MissedWrite[]): Promise<void> {
    for (const write of missed) {
      if (write.what === 'flags') {
        await this.writeFlagSet(redis);
        this.announce({ type: 'flags', keys: [...this.flags.keys()] });
      } else if (write.what === 'put') {
        await this.entityWrites.run(`${write.kind}:${write.entity.id}`, () => this.writeEntity(write.kind, write.entity));
      } else if (write.what === 'delete') {
        await this.entityWrites.run(`${write.kind}:${write.id}`, () => deleteEntity(this.store, write.kind, write.id, write.keys));
        this.announce({ type: write.kind, id: write.id, keys: write.keys });
      } else {
        const stored = await entityTable(this.store, write.kind).getById(write.id);
        // Not awaited: the answer arrives as a frame, applied after this replay.
        if (stored) this.stream.requestEntity(write.kind, stored.wire.keys ?? {}).catch(() => this.catchUp?.miss(write));
      }
    }
  }

  private async writeFlagSet(redis: RedisStore): Promise<void> {
    for (const { wire } of this.flags.values()) await redis.putFlag(wire);
    await redis.deleteFlagsExcept([...this.flags.keys()]);
  }

  /** Healthy while connected and Redis holds what this process wrote. */
  private tellHealth(): void {
    this.sink?.health(this.stream.connected && !this.catchUp?.behind);
  }
}
