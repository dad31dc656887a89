import type { EntityDetail } from '../core/entity-details';
import { FeatBitDataSync } from '../sources/featbit/data-sync-client';
import { featBitResults, type OnFeatBitRead } from '../evaluators/featbit/featbit-results';
import { FeatBitStore } from '../sources/featbit/featbit-store';
import { featBitUserOf } from '../evaluators/featbit/context-user';
import { evaluationInsightUser, metricInsightUser } from '../capture/featbit/insight-user';
import { FeatBitInsights } from '../capture/featbit/insights';
import { readSyncMessage } from '../sources/featbit/sync-messages';
import { parseFeatBitUser } from '../evaluators/featbit/parse-user';
import { defaultResult } from '../core/default-result';
import { assertTrackQuantity } from '../capture/events/track-quantity';
import { REASON_FLAG_NOT_FOUND } from '../core/reasons';
import type { CheckFlagOptions, CheckFlagResult, EvaluationContext, TrackBody, UpsertCompanyBody, UpsertUserBody } from '../core/types';
import type { FlagResults, Mode, ModeHost } from './mode';
import { offlineDetail } from './offline-mode';

/**
 * FeatBit mode: flags and segments synced from a FeatBit server over its data-sync WebSocket (polling while
 * the socket is down), evaluated in-process with FeatBit's rules; insights (the flags each request read, and
 * `track` as metrics) go to FeatBit's event server. FeatBit keeps no companies or users: upserts store
 * nothing, and identify is a no-op.
 */
export class FeatBitMode implements Mode {
  readonly name = 'featbit' as const;
  private readonly store: FeatBitStore;
  private readonly sync: FeatBitDataSync | null;
  private readonly insights: FeatBitInsights | null;
  private markReady!: () => void;
  private readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));

  constructor(private readonly host: ModeHost) {
    const { options } = host;
    const featbit = options.featbit;
    if (featbit === null) throw new Error('FeatBitMode needs the featbit options');
    this.store = new FeatBitStore(options.logger);
    if (featbit.bootstrap !== null) this.applyBootstrap(featbit.bootstrap);
    this.insights =
      featbit.eventsUri === null
        ? null
        : new FeatBitInsights({
            envSecret: featbit.envSecret,
            eventsUrl: featbit.eventsUri,
            logger: options.logger,
            fetch: options.fetch,
            maxQueued: options.maxQueuedEvents,
            maxQueuedBytes: options.maxQueuedEventBytes,
            maxRequestsInFlight: options.maxEventRequestsInFlight,
          });
    this.sync =
      featbit.offline || featbit.streamingUri === null
        ? null
        : new FeatBitDataSync({
            envSecret: featbit.envSecret,
            streamingUrl: featbit.streamingUri,
            pollingUrl: featbit.pollingUri,
            fetch: options.fetch,
            store: this.store,
            logger: options.logger,
            maxFrameBytes: featbit.maxFrameBytes,
            maxFrameRows: featbit.maxFrameRows,
            onChange: (keys) => host.emitter.emit('change', { type: 'flags', keys }),
            onConnectedChange: (connected) => {
              if (connected) this.becomeReady();
              else host.setStatus(this.store.initialized ? 'stale' : 'initializing');
            },
          });
    if (featbit.offline) this.becomeReady();
    this.sync?.start();
  }

  whenReady(): Promise<void> {
    return this.ready;
  }

  checkNow(context: EvaluationContext, key: string, options: CheckFlagOptions | undefined): CheckFlagResult | null {
    if (!this.store.initialized) return null;
    return this.resultsFor(context).result(key) ?? defaultResult(key, this.host.defaultFor(key, options), REASON_FLAG_NOT_FOUND);
  }

  async check(context: EvaluationContext, key: string, options: CheckFlagOptions | undefined): Promise<CheckFlagResult> {
    await this.ready;
    return this.resultsFor(context).result(key) ?? defaultResult(key, this.host.defaultFor(key, options), REASON_FLAG_NOT_FOUND);
  }

  resultsNow(context: EvaluationContext): FlagResults | null {
    return this.store.initialized ? this.resultsFor(context) : null;
  }

  async results(context: EvaluationContext): Promise<FlagResults> {
    await this.ready;
    return this.resultsFor(context);
  }

  identify(): void {}

  /** @throws InvalidEntityError for a quantity that is not a finite number (as every mode refuses it). */
  track(body: TrackBody): void {
    const quantity = body?.quantity ?? 1;
    assertTrackQuantity(quantity);
    const user = featBitUserOf({ user: body?.user, company: body?.company });
    if (!this.insights || user === null) return;
    this.insights.metric(metricInsightUser(parseFeatBitUser(user)), body.event, quantity, this.host.options.now());
  }

  async upsertCompany(body: UpsertCompanyBody): Promise<EntityDetail> {
    return offlineDetail(body);
  }

  async upsertUser(body: UpsertUserBody): Promise<EntityDetail> {
    return offlineDetail(body);
  }

  async close(): Promise<void> {
    await Promise.all([this.sync?.close(), this.insights?.close(this.host.options.closeTimeoutMs)]);
  }

  /**
   * One request's results; each flag it reads is reported to FeatBit once, as FeatBit's SDKs report a variation
   * call, with the user trimmed to what that flag reads (see insight-user.ts).
   */
  private resultsFor(context: EvaluationContext): FlagResults {
    const wireUser = featBitUserOf(context);
    const user = wireUser === null ? null : parseFeatBitUser(wireUser);
    const insights = this.insights;
    const onRead: OnFeatBitRead | null =
      insights && user
        ? (flag, evaluation) =>
            insights.evaluation(
              evaluationInsightUser(user, flag, this.store.segments),
              flag.key,
              { id: evaluation.variationId ?? '', value: evaluation.value ?? '' },
              evaluation.sendToExperiment,
              this.host.options.now(),
            )
        : null;
    return featBitResults(this.store, user, this.host.options.clientFlags, onRead);
  }

  private applyBootstrap(bootstrap: unknown): void {
    const envelope = readSyncMessage(bootstrap);
    if (envelope.kind === 'ignored') {
      this.host.options.logger.error(`featbit.bootstrap was not applied: ${envelope.reason}`);
      return;
    }
    this.store.applyFull(envelope.flags, envelope.segments);
    this.becomeReady();
  }

  private becomeReady(): void {
    this.host.setStatus('ready');
    this.markReady();
  }
}
