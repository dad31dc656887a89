import type { ApiRequester } from '../api/api-requester';
import { schematicCaptureApi } from '../api/schematic-requesters';
import { sentFields, wireIdentify, wireTrack } from '../api/wire-bodies';
import { validKeys } from '../core/entity-details';
import { InvalidEntityError } from '../core/errors';
import type { Capture, PartsHost } from '../core/parts';
import type { CheckFlagResult, EvaluationContext, EventMeta, IdentifyBody, TrackBody } from '../core/types';
import { EventBuffer } from './events/event-buffer';
import { assertTrackQuantity } from './events/track-quantity';
import { batchJson, type QueuedEvent, queuedEvent, queuedEventBytes, wireEventJson } from './events/wire-events';

const MAX_EVENTS_PER_BATCH = 100;

/**
 * Schematic's event capture: identify, track and the flag checks evaluated in-process (`flag_check`), queued and
 * sent to `POST /batch` in batches — bounded, retried, never thrown, flushed by `close()`.
 */
export class SchematicCapture implements Capture {
  private readonly capture: ApiRequester;
  private readonly events: EventBuffer<QueuedEvent, string>;

  constructor(private readonly host: PartsHost) {
    const { options } = host;
    this.capture = schematicCaptureApi(options);
    this.events = new EventBuffer<QueuedEvent, string>({
      destination: 'Schematic',
      maxQueuedOption: 'maxQueuedEvents',
      format: (event) => wireEventJson(options.apiKey, event),
      send: (batch, signal) => this.capture.call<unknown>({ method: 'POST', path: '/batch', json: batchJson(batch), signal }).then(() => undefined),
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
  }

  /** @throws InvalidEntityError without keys, or when the body cannot be sent as JSON or `sentAt` is not a valid Date. */
  identify(body: IdentifyBody, meta: EventMeta | undefined): void {
    if (!validKeys(body?.keys)) throw new InvalidEntityError('user', 'keys', 'identify needs at least one non-empty key');
    this.events.push(queuedEvent('identify', sentFields(this.host.options.logger, 'identify', wireIdentify(body)), meta, this.host.options.now()));
  }

  /** @throws InvalidEntityError without an event name, for a quantity that is not a finite number, or when the body cannot be sent as JSON or `sentAt` is not a valid Date. */
  track(body: TrackBody, meta: EventMeta | undefined): void {
    if (typeof body?.event !== 'string' || body.event === '') throw new InvalidEntityError('company', 'event', 'track needs an event name');
    assertTrackQuantity(body.quantity ?? 1);
    this.events.push(queuedEvent('track', sentFields(this.host.options.logger, 'track', wireTrack(body)), meta, this.host.options.now()));
  }

  /** Reports a check evaluated in-process, as Schematic's SDK does for its local evaluations. */
  readonly flagCheck = (result: CheckFlagResult, context: EvaluationContext): void => {
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
  };

  async close(deadlineMs: number): Promise<void> {
    const stats = await this.events.close(deadlineMs);
    this.host.options.logger.debug(`events: ${stats.delivered} delivered, ${stats.dropped} dropped, ${stats.retries} batches retried`);
  }
}
