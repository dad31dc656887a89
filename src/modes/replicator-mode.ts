import { evaluate, type ParsedFlag, type Subjects } from '../server/engine';
import { type EntityDetail, hasKeys } from '../core/entity-details';
import { changesChannel, RedisFanout, supportsPubSub } from '../store/redis-fanout';
import { NearCachedStore } from '../store/near-cache';
import { ENGINE_VERSION_KEY } from '../store/redis-keys';
import { RedisStore } from '../store/redis-store';
import type { ChangeEvent, CheckFlagOptions, CheckFlagResult, EvaluationContext, EventMeta, IdentifyBody, TrackBody, UpsertCompanyBody, UpsertUserBody } from '../core/types';
import { ApiMode } from './api-mode';
import { parsedPreflight } from '../core/preflight';
import { evaluatedResults } from '../evaluators/schematic/evaluated-results';
import type { FlagResults, Mode, ModeHost } from './mode';

const HEALTH_TIMEOUT_MS = 5000;

/**
 * Replicator mode: no socket of its own. A replicator (flagwire's or Schematic's) keeps Redis current; this
 * process reads flags, companies and users from there under the replicator's `cache_version`, evaluates
 * in-process, treats entities Redis does not have as absent, and asks the REST API only for flags it lacks.
 * The replicator's health endpoint decides readiness; pub/sub notices (or the next health poll) refresh flags.
 */
export class ReplicatorMode implements Mode {
  readonly name = 'replicator' as const;
  private readonly rest: ApiMode;
  private readonly store: RedisStore;
  private readonly fanout: RedisFanout | null;
  /** In front of Redis when change notices are available: warm checks answer from memory, synchronously. */
  private readonly nearCache: NearCachedStore | null;
  private version: string | null = null;
  private flags = new Map<string, ParsedFlag>();
  private flagsLoaded = false;
  private readonly timer: ReturnType<typeof setInterval>;
  private markReady!: () => void;
  private readonly readyOnce = new Promise<void>((resolve) => (this.markReady = resolve));
  private closed = false;

  constructor(private readonly host: ModeHost) {
    const { options } = host;
    const redis = options.dataStream.redisClient;
    if (!redis) throw new Error('replicator mode needs dataStream.redisClient');
    this.rest = new ApiMode(host, { ownsStatus: false });
    this.store = new RedisStore({
      client: redis,
      keyPrefix: options.dataStream.redisKeyPrefix,
      version: () => this.version ?? ENGINE_VERSION_KEY,
      entityTtlMs: options.dataStream.cacheTTL,
    });
    this.fanout = supportsPubSub(redis) ? new RedisFanout(redis, changesChannel(options.dataStream.redisKeyPrefix), options.logger) : null;
    this.nearCache = this.fanout ? new NearCachedStore(this.store, { maxEntities: options.maxEntities, version: () => this.version ?? ENGINE_VERSION_KEY }) : null;
    void this.fanout
      ?.subscribe(
        (event) => void this.onNotice(event),
        (live) => this.nearCache?.setTrusted(live),
      )
      .catch((error: Error) => options.logger.warn(`change notices unavailable: ${error.message}`));
    this.timer = setInterval(() => void this.poll(), options.dataStream.replicatorHealthCheck);
    this.timer.unref?.();
    void this.poll();
  }

  whenReady(): Promise<void> {
    return this.readyOnce;
  }

  async check(context: EvaluationContext, key: string, options: CheckFlagOptions | undefined, signal: AbortSignal): Promise<CheckFlagResult> {
    const flag = this.flags.get(key);
    if (!flag) return this.rest.check(context, key, options, signal);
    const subjects = await this.subjects(context);
    const result = evaluate(flag, { ...subjects, options: parsedPreflight(options) }, this.host.options.now()) as CheckFlagResult;
    this.rest.queueFlagCheck(result, context);
    return result;
  }

  /** The check without waiting, when the flag is loaded and the entities are near-cached; `null` otherwise. */
  checkNow(context: EvaluationContext, key: string, options: CheckFlagOptions | undefined): CheckFlagResult | null {
    const flag = this.flags.get(key);
    const subjects = flag ? this.subjectsNow(context) : null;
    if (!flag || !subjects) return null;
    const result = evaluate(flag, { ...subjects, options: parsedPreflight(options) }, this.host.options.now()) as CheckFlagResult;
    this.rest.queueFlagCheck(result, context);
    return result;
  }

  resultsNow(context: EvaluationContext): FlagResults | null {
    const subjects = this.flagsLoaded ? this.subjectsNow(context) : null;
    return subjects ? evaluatedResults(this.flags, subjects, this.host.options.now, this.host.options.clientFlags) : null;
  }

  async results(context: EvaluationContext, keys: readonly string[] | undefined, signal: AbortSignal): Promise<FlagResults> {
    if (!this.flagsLoaded) return this.rest.results(context, keys, signal);
    return evaluatedResults(this.flags, await this.subjects(context), this.host.options.now, this.host.options.clientFlags);
  }

  identify(body: IdentifyBody, meta: EventMeta | undefined): void {
    this.rest.identify(body, meta);
  }

  track(body: TrackBody, meta: EventMeta | undefined): void {
    this.rest.track(body, meta);
  }

  upsertCompany(body: UpsertCompanyBody): Promise<EntityDetail> {
    return this.rest.upsertCompany(body);
  }

  upsertUser(body: UpsertUserBody): Promise<EntityDetail> {
    return this.rest.upsertUser(body);
  }

  /** The replicator owns Redis; a webhook here refreshes this instance's flags and tells the others. */
  async invalidate(change: ChangeEvent): Promise<void> {
    if (change.type === 'flags') await this.reloadFlags();
    this.nearCache?.drop(change);
    await this.rest.invalidate();
    this.fanout?.publish(change, { invalidate: true });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    // Side by side: queued events start draining at once, even while a stalled Redis holds the fan-out.
    await Promise.all([this.fanout?.close(), this.rest.close()]);
  }

  /** Entities from Redis; one Redis does not have is absent (no fetch, as in Schematic's replicator mode). */
  private async subjects(context: EvaluationContext): Promise<Subjects> {
    const entities = this.nearCache ?? this.store;
    const [company, user] = await Promise.all([
      hasKeys(context?.company) ? entities.getCompany(context.company) : null,
      hasKeys(context?.user) ? entities.getUser(context.user) : null,
    ]);
    return { company: company?.parsed ?? null, user: user?.parsed ?? null, options: null };
  }

  /** The same from the near cache alone (known-absent counts: Redis had none); `null` when one must be read from Redis. */
  private subjectsNow(context: EvaluationContext): Subjects | null {
    const company = hasKeys(context?.company) ? this.nearCache?.cached('company', context.company) : null;
    const user = hasKeys(context?.user) ? this.nearCache?.cached('user', context.user) : null;
    if (company === undefined || user === undefined) return null;
    return { company: company?.parsed ?? null, user: user?.parsed ?? null, options: null };
  }

  /** Reads the replicator's health: `ready` and `cache_version`; a failure keeps the last version. */
  private async poll(): Promise<void> {
    if (this.closed) return;
    let ready = false;
    try {
      const response = await this.host.options.fetch(this.host.options.dataStream.replicatorHealthURL, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
      const body = (await response.json().catch(() => ({}))) as { ready?: unknown; cache_version?: unknown; cacheVersion?: unknown };
      const version = body.cache_version ?? body.cacheVersion;
      if (typeof version === 'string' && version !== '') this.version = version;
      ready = response.ok && body.ready === true;
    } catch (error) {
      this.host.options.logger.debug(`replicator health check failed: ${(error as Error).message}`);
    }
    if (ready) await this.reloadFlags();
    if (this.closed) return;
    this.host.setStatus(ready && this.flagsLoaded ? 'ready' : this.flagsLoaded ? 'stale' : 'initializing');
    if (ready && this.flagsLoaded) this.markReady();
  }

  private async reloadFlags(): Promise<string[]> {
    try {
      const next = new Map((await this.store.allFlags()).map((f) => [f.key, f]));
      const changed = [...new Set([...this.flags.keys(), ...next.keys()])].filter((k) => this.flags.get(k) !== next.get(k));
      this.flags = next;
      this.flagsLoaded = true;
      return changed;
    } catch (error) {
      this.host.options.logger.warn(`flags could not be read from Redis: ${(error as Error).message}`);
      return [];
    }
  }

  private async onNotice(event: ChangeEvent): Promise<void> {
    this.nearCache?.drop(event);
    if (event.type === 'flags') {
      const changed = await this.reloadFlags();
      if (changed.length > 0) this.host.emitter.emit('change', { type: 'flags', keys: changed });
      return;
    }
    this.host.emitter.emit('change', event);
  }
}
