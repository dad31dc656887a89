import { SDK_NAME, SDK_VERSION } from '../../api/api-requester';
import type { Logger } from '../../core/logger';
import { readSyncFrame, type SyncFrame } from './sync-messages';
import { featBitPollingUrl } from './urls';

export type DataSyncFrame = Extract<SyncFrame, { kind: 'data-sync' }>;

export interface FeatBitPollerOptions {
  /** The http(s) base of FeatBit's evaluation server. */
  baseUrl: string;
  envSecret: string;
  logger: Logger;
  /** Wait between the end of one poll and the next. */
  intervalMs: number;
  /** The store's version: polls ask for everything newer. */
  timestamp(): number;
  /** A readable data-sync answer arrived (a 200); whether it was taken (it may be refused as too big). */
  onFrame(frame: DataSyncFrame): boolean;
  /** After each poll: whether flagwire is in sync (a 304, an empty 200, or an answer taken). */
  onOutcome?(ok: boolean): void;
  fetch?: typeof globalThis.fetch;
  /** @default 10 s */
  requestTimeoutMs?: number;
  /** The largest answer read, in bytes: a bigger one is dropped unread. */
  maxAnswerBytes: number;
  /** A monotonic clock in ms, for the schedule. @default performance.now */
  now?: () => number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** The body as text, read up to `maxBytes`; `null` (the rest cancelled, never buffered) when it is bigger. */
async function readLimited(response: Response, maxBytes: number): Promise<string | null> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await discardBody(response);
    return null;
  }
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Statuses that may pass: FeatBit's SDKs retry these and stop on any other 4xx. */
const isRecoverable = (status: number) => status === 400 || status === 408 || status === 429 || status >= 500;

async function discardBody(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/**
 * Polls FeatBit's `latest-all` (its server SDK spec, polling): the raw env secret as `Authorization`, the
 * store's version as `timestamp`, and the last ETag for the same URL as `If-None-Match`, so an unchanged answer
 * is a bodiless 304; FeatBit itself answers "nothing newer" with an empty 200, also no change. One poll at a
 * time, `intervalMs` apart, and the schedule outlives a stop: starting again within `intervalMs` of the last
 * poll waits for the rest of it, so a socket that keeps reconnecting does not turn into a poll per attempt.
 * A 4xx FeatBit's SDKs would not retry stops it for good.
 */
export class FeatBitPoller {
  private isRunning = false;
  private stoppedForGood = false;
  /** Bumped by start and stop, so a loop from an earlier start ends quietly. */
  private generation = 0;
  private inFlight: AbortController | null = null;
  private loop: Promise<void> = Promise.resolve();
  private wake: (() => void) | null = null;
  private etag: { url: string; value: string } | null = null;
  private lastPollAt = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;

  constructor(private readonly options: FeatBitPollerOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  get running(): boolean {
    return this.isRunning;
  }

  /** Whether FeatBit answered with a status that polling cannot recover from. */
  get gaveUp(): boolean {
    return this.stoppedForGood;
  }

  /** Polls now, then every `intervalMs` until stopped. Does nothing while running or after giving up. */
  start(): void {
    if (this.isRunning || this.stoppedForGood) return;
    this.isRunning = true;
    const generation = ++this.generation;
    this.loop = this.run(generation);
  }

  /** Stops polling, aborting a request in flight; resolves once nothing is left running. */
  async stop(): Promise<void> {
    this.isRunning = false;
    this.generation++;
    this.inFlight?.abort();
    this.wake?.();
    await this.loop;
  }

  private async run(generation: number): Promise<void> {
    const current = () => this.isRunning && this.generation === generation;
    const due = this.lastPollAt + this.options.intervalMs - this.now();
    if (due > 0) await this.sleep(due);
    while (current()) {
      this.lastPollAt = this.now();
      await this.pollOnce(current);
      if (!current()) return;
      await this.sleep(this.options.intervalMs);
    }
  }

  /** Waits `ms`, or until stop() wakes it. */
  private async sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref?.();
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = null;
  }

  private async pollOnce(current: () => boolean): Promise<void> {
    const { logger } = this.options;
    const url = featBitPollingUrl(this.options.baseUrl, this.options.timestamp());
    const headers: Record<string, string> = { Authorization: this.options.envSecret, 'User-Agent': `${SDK_NAME}/${SDK_VERSION}` };
    if (this.etag?.url === url) headers['If-None-Match'] = this.etag.value;
    const controller = new AbortController();
    this.inFlight = controller;
    const timeoutMs = this.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    timer.unref?.();
    try {
      const response = await (this.options.fetch ?? globalThis.fetch)(url, { headers, signal: controller.signal });
      if (response.status !== 200) await discardBody(response);
      if (!current()) return;
      // Unchanged since the ETag sent: nothing to apply.
      if (response.status === 304) return this.options.onOutcome?.(true);
      if (response.status !== 200) {
        if (!isRecoverable(response.status)) {
          this.stoppedForGood = true;
          this.isRunning = false;
          logger.error(`FeatBit polling answered ${response.status}; polling stopped (check the env secret and polling URL)`);
          return;
        }
        logger.warn(`FeatBit polling answered ${response.status}; trying again in ${this.options.intervalMs} ms`);
        return this.options.onOutcome?.(false);
      }
      const { maxAnswerBytes } = this.options;
      const text = await readLimited(response, maxAnswerBytes);
      if (!current()) return;
      if (text === null) {
        logger.error(`FeatBit polling answer is over featbit.maxFrameBytes (${maxAnswerBytes} bytes): refused unread, the flags held are kept; trying again in ${this.options.intervalMs} ms`);
        return this.options.onOutcome?.(false);
      }
      // FeatBit's answer when nothing is newer than the timestamp sent.
      if (text.trim() === '') return this.options.onOutcome?.(true);
      const frame = readSyncFrame(text);
      if (frame.kind === 'ignored') {
        logger.warn(`FeatBit polling answer skipped: ${frame.reason}`);
        return this.options.onOutcome?.(false);
      }
      const taken = this.options.onFrame(frame);
      const etag = response.headers.get('etag');
      // A refused answer's ETag is not kept: the next poll must get the data again, not a 304.
      this.etag = etag && taken ? { url, value: etag } : null;
      this.options.onOutcome?.(taken);
    } catch (error) {
      if (!current()) return;
      const problem = controller.signal.aborted ? `no answer within ${timeoutMs} ms` : (error as Error)?.message;
      logger.warn(`FeatBit polling failed (${problem}); trying again in ${this.options.intervalMs} ms`);
      this.options.onOutcome?.(false);
    } finally {
      clearTimeout(timer);
      if (this.inFlight === controller) this.inFlight = null;
    }
  }
}
