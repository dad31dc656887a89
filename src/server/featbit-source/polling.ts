import { SDK_NAME, SDK_VERSION } from '../http/api-requester';
import type { Logger } from '../logger';
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
  /** A readable data-sync answer arrived (a 200). */
  onFrame(frame: DataSyncFrame): void;
  /** After each poll: whether FeatBit answered (200 or 304). */
  onOutcome?(ok: boolean): void;
  fetch?: typeof globalThis.fetch;
  /** @default 10 s */
  requestTimeoutMs?: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** Statuses that may pass: FeatBit's SDKs retry these and stop on any other 4xx. */
const isRecoverable = (status: number) => status === 400 || status === 408 || status === 429 || status >= 500;

async function discardBody(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/**
 * Polls FeatBit's `latest-all` (PROTOCOL-FEATBIT.md, Polling): the raw env secret as `Authorization`, the
 * store's version as `timestamp`, and the last ETag for the same URL as `If-None-Match`, so an unchanged answer
 * is a bodiless 304. One poll at a time, `intervalMs` apart; a 4xx FeatBit's SDKs would not retry stops it for good.
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

  constructor(private readonly options: FeatBitPollerOptions) {}

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
    while (current()) {
      await this.pollOnce(current);
      if (!current()) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.intervalMs);
        timer.unref?.();
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
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
      const text = await response.text();
      if (!current()) return;
      const frame = readSyncFrame(text);
      if (frame.kind === 'ignored') {
        logger.warn(`FeatBit polling answer skipped: ${frame.reason}`);
        return this.options.onOutcome?.(false);
      }
      const etag = response.headers.get('etag');
      this.etag = etag ? { url, value: etag } : null;
      this.options.onFrame(frame);
      this.options.onOutcome?.(true);
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
