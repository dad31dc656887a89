import { readBrowserExposures } from './browser-exposures';
import type { FlagDefinition } from './definitions';
import { type Exposure, type ExposureHandler, newPageViewId, SeenExposures, visitorKeys } from './exposures';
import type { Logger } from './logger';
import type { FlagsSnapshot } from './snapshot';
import type { EvaluationContext } from './types';

/** A server page view's exposures (`client.exposuresOf`). */
export interface PageViewExposures {
  /** The request's snapshot, its reads counted. */
  readonly snapshot: FlagsSnapshot;
  /** Hands what was read so far to `onExposures`; resolves with how many were new. Never throws. */
  flush(): Promise<number>;
}

/**
 * A client's exposures: a page view's server reads gathered from its snapshot, the browser's reports read, each
 * page view's flag and value counted once, and what is new handed to the app's `onExposures`.
 */
export class ExposureCounter {
  /** Page views' exposures already handed over: the server's and the browser's of one page view count once. */
  private readonly seen = new SeenExposures();
  /** Batches being handed to the handler: `close()` waits for them. */
  private readonly deliveries = new Set<Promise<void>>();

  constructor(
    private readonly handler: ExposureHandler,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  /** The snapshot as one page view's, and the flush that hands its reads over (see `client.exposuresOf`). */
  pageView(snapshot: FlagsSnapshot, context: EvaluationContext): PageViewExposures {
    const read: Exposure[] = [];
    const company = visitorKeys(context?.company);
    const user = visitorKeys(context?.user);
    const pageView = snapshot.pageView ?? newPageViewId();
    const watched = snapshot.withExposures(pageView, (flag, value, variation) => {
      read.push({ flag, value, variation, pageView, company, user, source: 'server', at: this.at() });
    });
    return { snapshot: watched, flush: () => this.report(read.splice(0)) };
  }

  /** A browser's report, read against the flag definitions and counted (see `client.reportBrowserExposures`). */
  async fromBrowser(body: unknown, definitions: readonly FlagDefinition[], context: EvaluationContext): Promise<{ counted: number } | { problem: string }> {
    const read = readBrowserExposures(body, definitions, context, this.at());
    if ('problem' in read) return read;
    return { counted: await this.report(read.exposures) };
  }

  /** Resolves once every batch being handed over is taken (or failed). */
  async settled(): Promise<void> {
    await Promise.all(this.deliveries);
  }

  /** Hands exposures not seen before to the handler; resolves with how many, once it has them. Never throws. */
  private async report(exposures: readonly Exposure[]): Promise<number> {
    if (exposures.length === 0) return 0;
    const fresh = this.seen.firstSeen(exposures);
    if (fresh.length === 0) return 0;
    const delivery = (async () => {
      try {
        await this.handler(fresh);
      } catch (error) {
        this.logger.error(`onExposures failed: ${fresh.length} exposures were not taken`, error);
      }
    })();
    this.deliveries.add(delivery);
    await delivery;
    this.deliveries.delete(delivery);
    return fresh.length;
  }

  private at(): string {
    return new Date(this.now()).toISOString();
  }
}
