import { type CacheProvider, LocalCache } from '../api/check-cache';
import { type CheckFlagResponseData, toCheckResult } from '../api/check-response';
import { type EntityDetailResponseData, entityDetailOf } from '../api/entity-response';
import { type WireBody, wireIdentify, wireTrack, wireUpsertCompany, wireUpsertUser } from '../api/wire-bodies';
import { defaultResult } from '../core/default-result';
import { type EntityDetail, validKeys } from '../core/entity-details';
import { InvalidEntityError } from '../core/errors';
import { EventBuffer } from '../capture/events/event-buffer';
import { assertTrackQuantity } from '../capture/events/track-quantity';
import { batchJson, type QueuedEvent, queuedEvent, queuedEventBytes, wireEventJson } from '../capture/events/wire-events';
import { ApiRequester } from '../api/api-requester';
import { REASON_FLAG_DEFAULT, REASON_FLAG_NOT_FOUND } from '../core/reasons';
import type { CheckFlagOptions, CheckFlagResult, EvaluationContext, EventMeta, IdentifyBody, TrackBody, UpsertCompanyBody, UpsertUserBody } from '../core/types';
import { wirePreflight } from '../core/preflight';
import type { FlagResults, Mode, ModeHost } from './mode';

const EVENT_SEND_TIMEOUT_MS = 10_000;
const MAX_EVENTS_PER_BATCH = 100;

function isCheckResult(value: unknown): value is CheckFlagResult {
  return typeof value === 'object' && value !== null && typeof (value as CheckFlagResult).value === 'boolean' && typeof (value as CheckFlagResult).reason === 'string';
}

/** The context as the API takes it: only the parts that are there. */
function contextBody(context: EvaluationContext): Record<string, unknown> {
  return {
    ...(context?.company && Object.keys(context.company).length > 0 ? { company: context.company } : {}),
    ...(context?.user && Object.keys(context.user).length > 0 ? { user: context.user } : {}),
  };
}

/**
 * Schematic API mode: checks over REST (`POST /flags/{key}/check`, one `POST /flags/check` per snapshot)
 * behind a short-lived cache; identify and track queued and sent in batches; upserts straight through.
 */
export class ApiMode implements Mode {
  readonly name = 'api' as const;
  private readonly api: ApiRequester;
  private readonly capture: ApiRequester;
  private readonly caches: readonly CacheProvider<unknown>[];
  private readonly bulkCaches: readonly CacheProvider<{ results: CheckFlagResult[] }>[];
  private readonly events: EventBuffer<QueuedEvent, string>;

  /** @param ownsStatus false when another mode (DataStream) decides the client's status. */
  constructor(
    private readonly host: ModeHost,
    { ownsStatus = true }: { ownsStatus?: boolean } = {},
  ) {
    const { options } = host;
    const shared = { apiKey: options.apiKey, fetch: options.fetch, headers: options.headers, now: options.now, random: Math.random };
    this.api = new ApiRequester({ ...shared, baseUrl: options.basePath, timeoutMs: options.timeoutMs, maxRetries: options.maxRetries });
    this.capture = new ApiRequester({ ...shared, baseUrl: options.eventCaptureBaseURL, timeoutMs: EVENT_SEND_TIMEOUT_MS, maxRetries: 0 });
    this.caches = options.cacheProviders?.flagChecks ?? [new LocalCache<CheckFlagResult>()];
    // Snapshots cache the bulk answer per context in the same kind of store.
    this.bulkCaches = this.caches.length > 0 ? [new LocalCache<{ results: CheckFlagResult[] }>()] : [];
    this.events = new EventBuffer<QueuedEvent, string>({
      destination: 'Schematic',
      maxQueuedOption: 'maxQueuedEvents',
      format: (event) => wireEventJson(options.apiKey, event),
      send: (batch, signal) => this.sendEvents(batch, signal),
      intervalMs: options.eventBufferInterval,
      maxBatch: MAX_EVENTS_PER_BATCH,
      maxQueued: options.maxQueuedEvents,
      maxQueuedBytes: options.maxQueuedEventBytes,
      sizeOf: queuedEventBytes,
      maxInFlight: options.maxEventRequestsInFlight,
      logger: options.logger,
      random: Math.random,
      retryInitialDelayMs: options.eventRetryInitialDelayMs,
    });
    if (ownsStatus) host.setStatus('ready');
  }

  /** Reports a check evaluated in-process, as Schematic's SDK does for its local evaluations. */
  queueFlagCheck(result: CheckFlagResult, context: EvaluationContext): void {
    const body: Record<string, unknown> = { flag_key: result.flagKey, value: result.value, reason: result.reason };
    if (result.flagId) body.flag_id = result.flagId;
    if (result.ruleId) body.rule_id = result.ruleId;
    if (result.companyId) body.company_id = result.companyId;
    if (result.userId) body.user_id = result.userId;
    if (result.err) body.error = result.err;
    if (context.company) body.req_company = context.company;
    if (context.user) body.req_user = context.user;
    try {
      this.events.push(queuedEvent('flag_check', body, undefined, this.host.options.now()));
    } catch (error) {
      // Reporting a check must never fail the check itself.
      this.host.options.logger.error('flag_check event was not queued', error);
    }
  }

  async whenReady(): Promise<void> {}

  get eventStats() {
    return this.events.stats;
  }

  async check(context: EvaluationContext, key: string, options: CheckFlagOptions | undefined, signal: AbortSignal): Promise<CheckFlagResult> {
    const preflight = wirePreflight(options);
    // Preflight checks depend on the usage asked about: never cached.
    const cacheKey = preflight === null ? JSON.stringify({ evalCtx: context, key }) : null;
    if (cacheKey !== null) {
      for (const cache of this.caches) {
        const hit = await cache.get(cacheKey);
        // Whatever a shared cache holds is checked before it is trusted.
        if (isCheckResult(hit)) return hit;
      }
    }
    const data = await this.api.call<CheckFlagResponseData | undefined>({
      method: 'POST',
      path: `/flags/${encodeURIComponent(key)}/check`,
      body: { ...contextBody(context), ...(preflight ? { preflight } : {}) },
      signal,
    });
    if (!data || typeof data.value !== 'boolean') return defaultResult(key, this.host.defaultFor(key, options), REASON_FLAG_DEFAULT);
    const result = toCheckResult(data, key);
    if (cacheKey !== null) await this.remember(this.caches, cacheKey, result);
    return result;
  }

  async results(context: EvaluationContext, keys: readonly string[] | undefined, signal: AbortSignal): Promise<FlagResults> {
    const list = await this.bulk(context, keys, signal);
    const byKey = new Map(list.map((r) => [r.flagKey, r]));
    return {
      keys: () => [...byKey.keys()],
      result: (key) => byKey.get(key),
      clientKeys: this.host.options.clientFlags,
      missingReason: REASON_FLAG_NOT_FOUND,
    };
  }

  /** @throws InvalidEntityError without keys, or when the body cannot be sent as JSON or `sentAt` is not a valid Date. */
  identify(body: IdentifyBody, meta: EventMeta | undefined): void {
    if (!validKeys(body?.keys)) throw new InvalidEntityError('user', 'keys', 'identify needs at least one non-empty key');
    this.events.push(queuedEvent('identify', this.wire('identify', wireIdentify(body)), meta, this.host.options.now()));
  }

  /** @throws InvalidEntityError without an event name, for a quantity that is not a finite number, or when the body cannot be sent as JSON or `sentAt` is not a valid Date. */
  track(body: TrackBody, meta: EventMeta | undefined): void {
    if (typeof body?.event !== 'string' || body.event === '') throw new InvalidEntityError('company', 'event', 'track needs an event name');
    assertTrackQuantity(body.quantity ?? 1);
    this.events.push(queuedEvent('track', this.wire('track', wireTrack(body)), meta, this.host.options.now()));
  }

  upsertCompany(body: UpsertCompanyBody): Promise<EntityDetail> {
    return this.upsert('/companies', body);
  }

  upsertUser(body: UpsertUserBody): Promise<EntityDetail> {
    return this.upsert('/users', body);
  }

  /** A webhook says something changed: cached check results may be wrong now, so they go. */
  async invalidate(): Promise<void> {
    for (const cache of [...this.caches, ...this.bulkCaches]) (cache as { clear?: () => void }).clear?.();
  }

  async close(): Promise<void> {
    const stats = await this.events.close(this.host.options.closeTimeoutMs);
    this.host.options.logger.debug(`events: ${stats.delivered} delivered, ${stats.dropped} dropped, ${stats.retries} batches retried`);
  }

  /** One `POST /flags/check` for the context: the whole flag set, cached briefly. */
  private async bulk(context: EvaluationContext, keys: readonly string[] | undefined, signal: AbortSignal): Promise<CheckFlagResult[]> {
    const cacheKey = JSON.stringify({ evalCtx: context });
    for (const cache of this.bulkCaches) {
      const hit = await cache.get(cacheKey);
      // A cached set serves unless a requested key is missing from it.
      if (hit && (!keys || keys.every((k) => hit.results.some((r) => r.flagKey === k)))) return hit.results;
    }
    const data = await this.api.call<{ flags?: CheckFlagResponseData[] } | undefined>({ method: 'POST', path: '/flags/check', body: contextBody(context), signal });
    const results = (data?.flags ?? []).filter((f) => f && typeof f.flag === 'string').map((f) => toCheckResult(f, f.flag));
    await this.remember(this.bulkCaches, cacheKey, { results });
    // The fresh answers also serve later single checks of the same context.
    for (const result of results) await this.remember(this.caches, JSON.stringify({ evalCtx: context, key: result.flagKey }), result);
    return results;
  }

  private async remember<T>(caches: readonly CacheProvider<T>[], key: string, value: T): Promise<void> {
    for (const cache of caches) {
      try {
        await cache.set(key, value);
      } catch (error) {
        this.host.options.logger.warn(`cache write failed: ${(error as Error).message}`);
      }
    }
  }

  private async upsert(path: '/companies' | '/users', body: UpsertCompanyBody | UpsertUserBody): Promise<EntityDetail> {
    const entity = path === '/companies' ? 'company' : 'user';
    if (!validKeys(body?.keys)) throw new InvalidEntityError(entity, 'keys', 'expected at least one non-empty string key');
    const wire = this.wire(`upsert of a ${entity}`, path === '/companies' ? wireUpsertCompany(body) : wireUpsertUser(body as UpsertUserBody));
    let json: string;
    try {
      json = JSON.stringify(wire);
    } catch (error) {
      throw new InvalidEntityError(entity, 'body', `cannot be sent as JSON: ${(error as Error).message}`);
    }
    const data = await this.api.call<EntityDetailResponseData | undefined>({ method: 'POST', path, json });
    return entityDetailOf(data, path, body.keys);
  }

  /** The body in wire form; fields the API does not know are left out, and named at debug level. */
  private wire(what: string, { body, stripped }: WireBody): Record<string, unknown> {
    if (stripped.length > 0) this.host.options.logger.debug(`${what}: left out fields Schematic does not know: ${stripped.join(', ')}`);
    return body;
  }

  private sendEvents(batch: readonly string[], signal: AbortSignal): Promise<void> {
    return this.capture.call<unknown>({ method: 'POST', path: '/batch', json: batchJson(batch), signal }).then(() => undefined);
  }
}
