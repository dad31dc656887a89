import { type DataStreamEntity, DataStreamClient, type DataStreamSink } from '../sources/datastream/datastream-client';
import { isRedisFailure, type MissedWrite, RedisCatchUp } from '../sources/datastream/redis-catch-up';
import { dataStreamUrl } from '../sources/datastream/url';
import {
  evaluate,
  parseCompany,
  type ParsedCompany,
  type ParsedFlag,
  type ParsedUser,
  parseFlag,
  parseUser,
  type Subjects,
  type WireCompany,
  type WireFlag,
  type WireUser,
} from '../server/engine';
import type { EntityDetail } from '../core/entity-details';
import { hasKeys } from '../core/entity-details';
import { changesChannel, RedisFanout, supportsPubSub } from '../store/redis-fanout';
import { deleteEntity, type EntityStore, entityTable } from '../store/entity-store';
import { MemoryStore } from '../store/memory-store';
import { NearCachedStore } from '../store/near-cache';
import { ENGINE_VERSION_KEY } from '../store/redis-keys';
import { RedisStore } from '../store/redis-store';
import type { ChangeEvent, CheckFlagOptions, CheckFlagResult, EvaluationContext, EventMeta, IdentifyBody, TrackBody, UpsertCompanyBody, UpsertUserBody } from '../core/types';
import { SerialByKey } from '../core/internal/serial-by-key';
import { ApiMode } from './api-mode';
import { parsedPreflight } from '../core/preflight';
import { evaluatedResults } from '../evaluators/schematic/evaluated-results';
import type { FlagResults, Mode, ModeHost } from './mode';

type Keys = Readonly<Record<string, string>>;

/**
 * DataStream mode: Schematic pushes flags, companies and users over a WebSocket; checks evaluate them
 * in-process. Entities not yet cached are fetched over the socket; anything local evaluation cannot answer
 * falls back to the REST API. Cached data keeps serving while the socket is down (status `stale`).
 */
export class DataStreamMode implements Mode, DataStreamSink {
  readonly name = 'datastream' as const;
  private readonly rest: ApiMode;
  private readonly store: EntityStore;
  private readonly redis: RedisStore | null;
  /** In front of Redis when change notices are available: warm checks skip both Redis round trips. */
  private readonly nearCache: NearCachedStore | null;
  private readonly stream: DataStreamClient;
  private flags = new Map<string, { wire: WireFlag; parsed: ParsedFlag }>();
  /** The same flags, parsed only: what evaluation reads, rebuilt only when the flags change. */
  private parsedFlags: ReadonlyMap<string, ParsedFlag> = new Map();
  private hasFlags = false;
  /** With Redis: what Redis refused, written again once it answers. */
  private readonly catchUp: RedisCatchUp | null;
  /** Every write of one company or user, from the stream or from track(), in turn: none undoes another. */
  private readonly entityWrites = new SerialByKey();
  /** With a shared Redis, changes are announced so replicator-mode readers follow at once. */
  private readonly fanout: RedisFanout | null;

  constructor(private readonly host: ModeHost) {
    const { options } = host;
    const stream = options.dataStream;
    this.rest = new ApiMode(host, { ownsStatus: false });
    this.redis = stream.redisClient
      ? new RedisStore({ client: stream.redisClient, keyPrefix: stream.redisKeyPrefix, version: () => ENGINE_VERSION_KEY, entityTtlMs: stream.cacheTTL })
      : null;
    this.fanout = stream.redisClient && supportsPubSub(stream.redisClient) ? new RedisFanout(stream.redisClient, changesChannel(stream.redisKeyPrefix), options.logger) : null;
    // Only with change notices: they are what keeps a near cache in step with the other processes.
    this.nearCache = this.redis && this.fanout ? new NearCachedStore(this.redis, { maxEntities: options.maxEntities }) : null;
    this.store = this.nearCache ?? this.redis ?? new MemoryStore({ maxEntities: options.maxEntities, ttlMs: stream.cacheTTL });
    // Other instances' webhooks: follow them (their DataStream pushes reach this instance on its own socket).
    void this.fanout
      ?.subscribe(
        (event, invalidate) => {
          // Their write to Redis: what this process near-caches of the entity is stale.
          if (!invalidate) return this.nearCache?.drop(event);
          void this.dropCached(event).then(() => host.emitter.emit('change', event));
        },
        (live) => this.nearCache?.setTrusted(live),
      )
      .catch((error: Error) => options.logger.warn(`change notices unavailable: ${error.message}`));
    this.stream = new DataStreamClient({
      url: dataStreamUrl(options.basePath),
      apiKey: options.apiKey,
      connectionMode: 'datastream',
      sink: this,
      logger: options.logger,
      reconnectBaseMs: stream.reconnectBaseMs,
      onConnectedChange: () => this.updateStatus(),
    });
    this.catchUp = this.redis ? this.redisCatchUp(this.redis) : null;
    this.stream.start();
  }

  whenReady(): Promise<void> {
    return this.stream.firstFlags;
  }

  /** The check without waiting, when flag and entities are all in the in-memory cache; `null` otherwise. */
  checkNow(context: EvaluationContext, key: string, options: CheckFlagOptions | undefined): CheckFlagResult | null {
    const flag = this.flags.get(key);
    const subjects = flag ? this.subjectsNow(context) : null;
    if (!flag || !subjects) return null;
    const result = evaluate(flag.parsed, { ...subjects, options: parsedPreflight(options) }, this.host.options.now()) as CheckFlagResult;
    this.rest.queueFlagCheck(result, context);
    return result;
  }

  resultsNow(context: EvaluationContext): FlagResults | null {
    const subjects = this.hasFlags ? this.subjectsNow(context) : null;
    return subjects ? this.resultsFor(subjects) : null;
  }

  async check(context: EvaluationContext, key: string, options: CheckFlagOptions | undefined, signal: AbortSignal): Promise<CheckFlagResult> {
    try {
      const flag = this.flags.get(key);
      if (!flag) throw new Error(`flag "${key}" is not in the DataStream cache`);
      const subjects = await this.subjects(context, signal);
      const result = evaluate(flag.parsed, { ...subjects, options: parsedPreflight(options) }, this.host.options.now()) as CheckFlagResult;
      this.rest.queueFlagCheck(result, context);
      return result;
    } catch (error) {
      this.host.options.logger.debug(`DataStream check of "${key}" falls back to the API: ${(error as Error).message}`);
      return this.rest.check(context, key, options, signal);
    }
  }

  async results(context: EvaluationContext, keys: readonly string[] | undefined, signal: AbortSignal): Promise<FlagResults> {
    if (!this.hasFlags) return this.rest.results(context, keys, signal);
    try {
      return this.resultsFor(await this.subjects(context, signal));
    } catch (error) {
      this.host.options.logger.debug(`DataStream snapshot falls back to the API: ${(error as Error).message}`);
      return this.rest.results(context, keys, signal);
    }
  }

  identify(body: IdentifyBody, meta: EventMeta | undefined): void {
    this.rest.identify(body, meta);
  }

  /**
   * Sends the event, and counts it in the cached company's matching metrics, as Schematic's SDK does. With
   * companies in memory the count is in place when the returned promise settles (a microtask later); with
   * Redis it is queued behind the company's other writes, and the caller never waits on Redis for it.
   */
  track(body: TrackBody, meta: EventMeta | undefined): void | Promise<void> {
    this.rest.track(body, meta);
    if (!this.stream.connected || !hasKeys(body.company)) return;
    const counted = this.countLocally(body.company, body.event, body.quantity ?? 1);
    if (!this.redis) return counted;
    counted.catch((error: Error) => this.host.options.logger.warn(`tracked usage was sent but not counted in the cached company: ${error?.message ?? error}`));
  }

  upsertCompany(body: UpsertCompanyBody): Promise<EntityDetail> {
    return this.rest.upsertCompany(body);
  }

  upsertUser(body: UpsertUserBody): Promise<EntityDetail> {
    return this.rest.upsertUser(body);
  }

  async invalidate(change: ChangeEvent): Promise<void> {
    await this.dropCached(change);
    await this.rest.invalidate();
    this.fanout?.publish(change, { invalidate: true });
  }

  /** Forgets a changed company or user (the next check fetches it again) or asks for the flag set again. */
  private async dropCached(change: ChangeEvent): Promise<void> {
    this.nearCache?.drop(change);
    if (change.type === 'flags') this.stream.refreshFlags();
    else await entityTable(this.store, change.type).delete(change.id);
  }

  async close(): Promise<void> {
    this.catchUp?.close();
    this.stream.close();
    // Side by side: queued events start draining at once, even while a stalled Redis holds the fan-out.
    await Promise.all([this.fanout?.close(), this.rest.close()]);
  }

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
      onBehindChange: () => this.updateStatus(),
      logger: this.host.options.logger,
    });
  }

  /** Does the missed writes again, each the newest version; a refetch asks the server (its answer is a frame). */
  private async replay(redis: RedisStore, missed: readonly MissedWrite[]): Promise<void> {
    for (const write of missed) {
      if (write.what === 'flags') {
        await this.writeFlagSet(redis);
        this.notify({ type: 'flags', keys: [...this.flags.keys()] });
      } else if (write.what === 'put') {
        await this.entityWrites.run(`${write.kind}:${write.entity.id}`, () => this.writeEntity(write.kind, write.entity));
      } else if (write.what === 'delete') {
        await this.entityWrites.run(`${write.kind}:${write.id}`, () => deleteEntity(this.store, write.kind, write.id, write.keys));
        this.notify({ type: write.kind, id: write.id, keys: write.keys });
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

  /** Ready while connected and Redis holds what this process wrote; stale while either is not so. */
  private updateStatus(): void {
    if (!this.stream.connected) return this.host.setStatus(this.hasFlags ? 'stale' : 'initializing');
    this.host.setStatus(this.catchUp?.behind ? 'stale' : 'ready');
  }

  // — the sink: what DataStream says, applied to the cache —

  async replaceFlags(wires: WireFlag[]): Promise<void> {
    const next = new Map<string, { wire: WireFlag; parsed: ParsedFlag }>();
    for (const wire of wires) {
      const parsed = this.parseFlagOrWarn(wire);
      if (parsed) next.set(parsed.key, { wire, parsed });
    }
    const changed = [...new Set([...this.flags.keys(), ...next.keys()])].filter(
      (key) => JSON.stringify(this.flags.get(key)?.wire) !== JSON.stringify(next.get(key)?.wire),
    );
    const hadFlags = this.hasFlags;
    this.setFlags(next);
    this.hasFlags = true;
    await this.mirror((redis) => this.writeFlagSet(redis));
    if (hadFlags && changed.length > 0) this.notify({ type: 'flags', keys: changed });
  }

  async putFlag(wire: WireFlag): Promise<void> {
    const parsed = this.parseFlagOrWarn(wire);
    if (!parsed) return;
    this.setFlags(new Map(this.flags).set(parsed.key, { wire, parsed }));
    await this.mirror((redis) => redis.putFlag(wire));
    this.notify({ type: 'flags', keys: [parsed.key] });
  }

  async deleteFlag(flag: { id?: string; key?: string }): Promise<void> {
    const key = flag.key ?? [...this.flags.values()].find((f) => f.parsed.id === flag.id)?.parsed.key;
    if (!key || !this.flags.has(key)) return;
    const next = new Map(this.flags);
    next.delete(key);
    this.setFlags(next);
    await this.mirror((redis) => redis.deleteFlag(key));
    this.notify({ type: 'flags', keys: [key] });
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
    this.notify({ type: kind, id: found, keys });
  }

  private async writeEntity(kind: DataStreamEntity, entity: WireCompany | WireUser): Promise<void> {
    // Parsing validates: an entity the engine would reject never reaches the cache.
    const stored = await entityTable(this.store, kind).put(entity);
    this.notify({ type: kind, id: stored.wire.id, keys: stored.wire.keys ?? {} });
  }

  private notify(event: ChangeEvent): void {
    this.host.emitter.emit('change', event);
    this.fanout?.publish(event);
  }

  private parseFlagOrWarn(wire: WireFlag): ParsedFlag | null {
    try {
      return parseFlag(wire);
    } catch (error) {
      this.host.options.logger.warn(`DataStream sent a flag flagwire cannot read; skipped: ${(error as Error).message}`);
      return null;
    }
  }

  private resultsFor(subjects: Subjects): FlagResults {
    return evaluatedResults(this.parsedFlags, subjects, this.host.options.now, this.host.options.clientFlags);
  }

  private setFlags(next: Map<string, { wire: WireFlag; parsed: ParsedFlag }>): void {
    this.flags = next;
    this.parsedFlags = new Map([...next].map(([key, flag]) => [key, flag.parsed]));
  }

  /** Company and user from an in-memory cache without waiting; `null` when one must be fetched or asked for. */
  private subjectsNow(context: EvaluationContext): Subjects | null {
    const { peekCompany, peekUser } = this.store;
    if (!peekCompany || !peekUser) return null;
    const company = hasKeys(context?.company) ? peekCompany.call(this.store, context.company) : undefined;
    const user = hasKeys(context?.user) ? peekUser.call(this.store, context.user) : undefined;
    if (company === null || user === null) return null;
    return { company: company?.parsed ?? null, user: user?.parsed ?? null, options: null };
  }

  /** Company and user from the cache, fetched over the socket when missing (both at once). */
  private async subjects(context: EvaluationContext, signal: AbortSignal): Promise<Subjects> {
    const [company, user] = await Promise.all([
      hasKeys(context?.company) ? this.entity('company', context.company, signal) : null,
      hasKeys(context?.user) ? this.entity('user', context.user, signal) : null,
    ]);
    return { company: company as ParsedCompany | null, user: user as ParsedUser | null, options: null };
  }

  private async entity(kind: DataStreamEntity, keys: Keys, signal: AbortSignal): Promise<ParsedCompany | ParsedUser> {
    const cached = await entityTable(this.store, kind).get(keys);
    if (cached) return cached.parsed;
    const wire = await this.stream.requestEntity(kind, keys, signal);
    return kind === 'company' ? parseCompany(wire) : parseUser(wire);
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
}
