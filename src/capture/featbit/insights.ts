import { FlagwireConfigError } from '../../core/errors';
import { EventBuffer, type EventBufferStats } from '../events/event-buffer';
import { type EventPost, fetchPost } from '../events/event-post';
import { urlOption } from '../../core/internal/url-option';
import { DEFAULT_MAX_EVENT_REQUESTS_IN_FLIGHT, DEFAULT_MAX_QUEUED_EVENT_BYTES } from '../../core/options';
import type { ParsedFeatBitUser } from '../../evaluators/featbit/parsed-types';
import type { FeatBitUser } from '../../evaluators/featbit/wire-types';
import type { Logger } from '../../core/logger';
import { evaluationItemJson, evaluationsItemJson, type InsightVariation, insightUserJson, metricItemJson } from './insight-json';
import { createInsightSender } from './insight-sender';

export const DEFAULT_INSIGHT_FLUSH_INTERVAL_MS = 1_000;
export const DEFAULT_INSIGHT_MAX_QUEUED = 100_000;
export const DEFAULT_INSIGHT_RETRY_INITIAL_DELAY_MS = 1_000;
export const DEFAULT_INSIGHT_SEND_TIMEOUT_MS = 10_000;
/** FeatBit's SDKs send at most 50 items per POST. */
export const INSIGHT_MAX_BATCH = 50;
const REFUSAL_LOG_INTERVAL_MS = 10_000;

export interface FeatBitInsightsOptions {
  /** The environment's server secret, sent as it is in `Authorization`. */
  envSecret: string;
  /** FeatBit's event base URL (http or https); `/api/public/insight/track` is appended. */
  eventsUrl: string;
  logger: Logger;
  /** How batches are POSTed; without it, through `fetch` (the platform's when that is not given either). */
  post?: EventPost;
  fetch?: typeof globalThis.fetch;
  /** How often queued events are sent. @default 1_000 */
  flushIntervalMs?: number;
  /** The most events held; past it the oldest are dropped, with a warning and a count. @default 100_000 */
  maxQueued?: number;
  /** The most bytes of events held (their JSON, a byte per character); past it the oldest are dropped the same way. @default 64 MiB */
  maxQueuedBytes?: number;
  /** How many batches may be POSTed at once. @default 4 */
  maxRequestsInFlight?: number;
  random?: () => number;
  /** The first wait after a failed POST; doubles with each failure in a row. @default 1_000 */
  retryInitialDelayMs?: number;
  /** How long one POST may take before it counts as failed (and is tried again). @default 10_000 */
  sendTimeoutMs?: number;
}

/**
 * FeatBit insight events: evaluations (for FeatBit's insights and experiments) and custom metrics, queued in
 * O(1) and sent in batches of at most 50 items by EventBuffer, which retries what may pass (no connection,
 * timeout, 408/429/5xx) with backoff, drops a batch FeatBit refuses (other 4xx) with a logged count, and reports
 * at close what it could not deliver. An item carries one user with one or more evaluations (a request's, see
 * RequestInsights); each evaluation is sent once: never sampled, merged or deduplicated.
 */
export class FeatBitInsights {
  private readonly buffer: EventBuffer<string>;
  private readonly logger: Logger;
  private refused = 0;
  private refusedUnlogged = 0;
  private lastRefusal: unknown = null;
  private lastRefusalLog = Number.NEGATIVE_INFINITY;

  /** @throws FlagwireConfigError when the secret is empty or the events URL is not http(s). */
  constructor(options: FeatBitInsightsOptions) {
    if (typeof options.envSecret !== 'string' || options.envSecret.trim() === '') throw new FlagwireConfigError('envSecret', 'FeatBit insights need the environment secret');
    if (urlOption(options.eventsUrl, 'eventsUrl') === null) throw new FlagwireConfigError('eventsUrl', `expected an http(s) URL, got ${JSON.stringify(options.eventsUrl)}`);
    this.logger = options.logger;
    this.buffer = new EventBuffer<string>({
      destination: 'FeatBit',
      maxQueuedOption: 'maxQueuedEvents',
      send: createInsightSender({
        envSecret: options.envSecret,
        eventsUrl: options.eventsUrl,
        post: options.post ?? fetchPost(options.fetch ?? globalThis.fetch),
        timeoutMs: options.sendTimeoutMs ?? DEFAULT_INSIGHT_SEND_TIMEOUT_MS,
      }),
      intervalMs: options.flushIntervalMs ?? DEFAULT_INSIGHT_FLUSH_INTERVAL_MS,
      maxBatch: INSIGHT_MAX_BATCH,
      maxQueued: options.maxQueued ?? DEFAULT_INSIGHT_MAX_QUEUED,
      maxQueuedBytes: options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_EVENT_BYTES,
      maxInFlight: options.maxRequestsInFlight ?? DEFAULT_MAX_EVENT_REQUESTS_IN_FLIGHT,
      logger: options.logger,
      random: options.random ?? Math.random,
      retryInitialDelayMs: options.retryInitialDelayMs ?? DEFAULT_INSIGHT_RETRY_INITIAL_DELAY_MS,
    });
  }

  /** Queues that `user` was served `variation` of `flagKey`. Never throws: a bad event is logged and counted. */
  evaluation(user: FeatBitUser | ParsedFeatBitUser, flagKey: string, variation: InsightVariation, sendToExperiment: boolean, timestampMs: number): void {
    try {
      this.buffer.push(evaluationItemJson(insightUserJson(user), flagKey, variation, sendToExperiment, timestampMs));
    } catch (error) {
      this.refuse(error);
    }
  }

  /**
   * Queues one item with several evaluations (a request's reads). Never throws: a bad user is logged and counted.
   * @param entries from `evaluationEntryJson`, already checked
   */
  evaluations(user: FeatBitUser | ParsedFeatBitUser | string, entries: readonly string[]): void {
    try {
      this.buffer.push(evaluationsItemJson(typeof user === 'string' ? user : insightUserJson(user), entries));
    } catch (error) {
      this.refuse(error);
    }
  }

  /** Queues a custom metric (a conversion, a purchase amount). Never throws: a bad event is logged and counted. */
  metric(user: FeatBitUser | ParsedFeatBitUser, eventName: string, numericValue: number, timestampMs: number): void {
    try {
      this.buffer.push(metricItemJson(insightUserJson(user), eventName, numericValue, timestampMs));
    } catch (error) {
      this.refuse(error);
    }
  }

  /** Sends what is queued now; resolves when it is delivered or given up on. */
  flush(): Promise<void> {
    return this.buffer.flush();
  }

  /** Delivers what it holds within `deadlineMs`, then logs (and counts) what it could not. Safe to call twice. */
  async close(deadlineMs: number): Promise<void> {
    this.logRefusals();
    await this.buffer.close(deadlineMs);
  }

  /** EventBuffer's counts; `dropped` includes the events refused before they were queued. */
  get stats(): EventBufferStats {
    const stats = this.buffer.stats;
    return { ...stats, dropped: stats.dropped + this.refused };
  }

  /** Counts a refused event; logs at once, then at most every 10 s with a count, so a bad loop cannot flood the log. */
  refuse(error: unknown): void {
    this.refused++;
    this.refusedUnlogged++;
    this.lastRefusal = error;
    if (Date.now() - this.lastRefusalLog >= REFUSAL_LOG_INTERVAL_MS) this.logRefusals();
  }

  private logRefusals(): void {
    const count = this.refusedUnlogged;
    if (count === 0) return;
    this.logger.error(`${count} FeatBit insight event${count === 1 ? '' : 's'} refused, not queued`, this.lastRefusal);
    this.refusedUnlogged = 0;
    this.lastRefusalLog = Date.now();
  }
}
