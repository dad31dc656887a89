import type { ParsedFlag } from '../../evaluators/schematic/engine';
import { hasKeys } from '../../core/entity-details';
import type { FlagSink, FlagSource, StoredSubjects, SubjectLookup } from '../../core/flag-set';
import type { ResolvedOptions } from '../../core/options';
import type { ChangeEvent, EvaluationContext } from '../../core/types';
import { SchematicFlagSet } from '../../evaluators/schematic/schematic-flags';
import { NearCachedStore } from '../../store/near-cache';
import { changesChannel, RedisFanout, supportsPubSub } from '../../store/redis-fanout';
import { ENGINE_VERSION_KEY } from '../../store/redis-keys';
import { RedisStore } from '../../store/redis-store';

const HEALTH_TIMEOUT_MS = 5000;

/**
 * Redis written by a replicator (flagwire's or Schematic's) as a source: flags, companies and users read under the
 * replicator's `cache_version`, entities Redis does not have treated as absent (no fetch, as Schematic's
 * replicator mode does). The replicator's health endpoint says whether it is healthy; pub/sub notices (or the
 * next health poll) refresh the flags, and keep a near cache of lookups in step.
 */
export class ReplicatorSource implements FlagSource, SubjectLookup {
  private readonly store: RedisStore;
  private readonly fanout: RedisFanout | null;
  /** In front of Redis when change notices are available: warm checks answer from memory, synchronously. */
  private readonly nearCache: NearCachedStore | null;
  private version: string | null = null;
  private flags: ReadonlyMap<string, ParsedFlag> | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private closed = false;
  private sink: FlagSink | null = null;

  constructor(private readonly options: ResolvedOptions) {
    const redis = options.dataStream.redisClient;
    if (!redis) throw new Error('replicator mode needs dataStream.redisClient');
    this.store = new RedisStore({
      client: redis,
      keyPrefix: options.dataStream.redisKeyPrefix,
      version: () => this.version ?? ENGINE_VERSION_KEY,
      entityTtlMs: options.dataStream.cacheTTL,
    });
    this.fanout = supportsPubSub(redis) ? new RedisFanout(redis, changesChannel(options.dataStream.redisKeyPrefix), options.logger) : null;
    this.nearCache = this.fanout ? new NearCachedStore(this.store, { maxEntities: options.maxEntities, version: () => this.version ?? ENGINE_VERSION_KEY }) : null;
  }

  start(sink: FlagSink): void {
    this.sink = sink;
    void this.fanout
      ?.subscribe(
        (event) => void this.onNotice(event),
        (live) => this.nearCache?.setTrusted(live),
      )
      .catch((error: Error) => this.options.logger.warn(`change notices unavailable: ${error.message}`));
    this.timer = setInterval(() => void this.poll(), this.options.dataStream.replicatorHealthCheck);
    this.timer.unref?.();
    void this.poll();
  }

  // — lookup —

  /** From the near cache alone (known-absent counts: Redis had none); `null` when one must be read from Redis. */
  now(context: EvaluationContext): StoredSubjects | null {
    const company = hasKeys(context?.company) ? this.nearCache?.cached('company', context.company) : null;
    const user = hasKeys(context?.user) ? this.nearCache?.cached('user', context.user) : null;
    if (company === undefined || user === undefined) return null;
    return { company: company?.parsed ?? null, user: user?.parsed ?? null };
  }

  /** Entities from Redis; one Redis does not have is absent (no fetch, as in Schematic's replicator mode). */
  async get(context: EvaluationContext): Promise<StoredSubjects> {
    const entities = this.nearCache ?? this.store;
    const [company, user] = await Promise.all([
      hasKeys(context?.company) ? entities.getCompany(context.company) : null,
      hasKeys(context?.user) ? entities.getUser(context.user) : null,
    ]);
    return { company: company?.parsed ?? null, user: user?.parsed ?? null };
  }

  /** The replicator owns Redis; a webhook here refreshes this instance's flags and tells the others. */
  async invalidate(change: ChangeEvent): Promise<void> {
    if (change.type === 'flags') await this.reloadFlags();
    this.nearCache?.drop(change);
    this.fanout?.publish(change, { invalidate: true });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.fanout?.close();
  }

  /** Reads the replicator's health: `ready` and `cache_version`; a failure keeps the last version. */
  private async poll(): Promise<void> {
    if (this.closed) return;
    let ready = false;
    try {
      const response = await this.options.fetch(this.options.dataStream.replicatorHealthURL, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
      const body = (await response.json().catch(() => ({}))) as { ready?: unknown; cache_version?: unknown; cacheVersion?: unknown };
      const version = body.cache_version ?? body.cacheVersion;
      if (typeof version === 'string' && version !== '') this.version = version;
      ready = response.ok && body.ready === true;
    } catch (error) {
      this.options.logger.debug(`replicator health check failed: ${(error as Error).message}`);
    }
    if (ready) await this.reloadFlags();
    if (this.closed) return;
    this.sink?.health(ready && this.flags !== null);
  }

  /** The flag set as Redis holds it now, delivered (changes are worked out by the sink). */
  private async reloadFlags(): Promise<void> {
    let next: Map<string, ParsedFlag>;
    try {
      next = new Map((await this.store.allFlags()).map((f) => [f.key, f]));
    } catch (error) {
      this.options.logger.warn(`flags could not be read from Redis: ${(error as Error).message}`);
      return;
    }
    this.flags = next;
    // Redis hands back the same parsed object for the same stored JSON (see RedisStore), so identity tells changes.
    const fingerprint = (key: string) => {
      const flag = next.get(key);
      return flag === undefined ? undefined : identityOf(flag);
    };
    this.sink?.replace(new SchematicFlagSet({ flags: next, fingerprint, requestAttributes: false }));
  }

  private async onNotice(event: ChangeEvent): Promise<void> {
    this.nearCache?.drop(event);
    if (event.type === 'flags') return this.reloadFlags();
    this.sink?.notify(event);
  }
}

/** A name for a parsed flag object that stays the same for as long as the object lives. */
const identities = new WeakMap<ParsedFlag, string>();
let nextIdentity = 0;
function identityOf(flag: ParsedFlag): string {
  let identity = identities.get(flag);
  if (identity === undefined) {
    identity = `#${nextIdentity++}`;
    identities.set(flag, identity);
  }
  return identity;
}
