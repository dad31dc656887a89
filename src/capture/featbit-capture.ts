import type { Capture, PartsHost } from '../core/parts';
import type { TrackBody } from '../core/types';
import { featBitUserOf } from '../evaluators/featbit/context-user';
import type { FeatBitReadListener } from '../evaluators/featbit/featbit-flags';
import { parseFeatBitUser } from '../evaluators/featbit/parse-user';
import type { ResolvedFeatBitOptions } from '../sources/featbit/featbit-options';
import { assertTrackQuantity } from './events/track-quantity';
import { metricInsightUser } from './featbit/insight-user';
import { FeatBitInsights } from './featbit/insights';
import { type NodeHttpPost, nodeHttpPost } from './events/node-http-post';
import { RequestInsights } from './featbit/request-insights';

/**
 * FeatBit's insights: the flags each request reads (each once per request, one item per request with the user
 * trimmed to what those flags read, see request-insights.ts) and `track()` as metrics, batched to FeatBit's
 * event server. FeatBit keeps no companies or users, so identify sends nothing.
 */
export class FeatBitCapture implements Capture {
  private readonly insights: FeatBitInsights;
  private readonly requests: RequestInsights;
  /** How insights are POSTed when the app gave no `fetch` of its own. */
  private readonly poster: NodeHttpPost | null;

  constructor(
    private readonly host: PartsHost,
    featbit: ResolvedFeatBitOptions & { eventsUri: string },
  ) {
    const { options } = host;
    this.poster = options.fetchGiven ? null : nodeHttpPost();
    this.insights = new FeatBitInsights({
      envSecret: featbit.envSecret,
      eventsUrl: featbit.eventsUri,
      logger: options.logger,
      post: this.poster?.post,
      fetch: options.fetch,
      maxQueued: options.maxQueuedEvents,
      maxQueuedBytes: options.maxQueuedEventBytes,
      maxRequestsInFlight: options.maxEventRequestsInFlight,
    });
    this.requests = new RequestInsights(this.insights, options.now);
  }

  /** Hears each request's reads of a FeatBit flag set (see FeatBitFlagSet). */
  readonly read: FeatBitReadListener = (user, segments) => this.requests.open(user, segments);

  identify(): void {}

  /** @throws InvalidEntityError for a quantity that is not a finite number (as every mode refuses it). */
  track(body: TrackBody): void {
    const quantity = body?.quantity ?? 1;
    assertTrackQuantity(quantity);
    const user = featBitUserOf({ user: body?.user, company: body?.company });
    if (user === null) return;
    this.insights.metric(metricInsightUser(parseFeatBitUser(user)), body.event, quantity, this.host.options.now());
  }

  async close(deadlineMs: number): Promise<void> {
    this.requests.flush();
    await this.insights.close(deadlineMs);
    this.poster?.close();
  }
}
