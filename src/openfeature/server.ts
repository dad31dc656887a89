/**
 * `flagwire/openfeature`: an OpenFeature provider for `@openfeature/server-sdk` over a flagwire client. It
 * translates; flagwire decides. Like every adapter, it imports from `../server` (the public entry) only.
 */
import {
  type EvaluationContext as OpenFeatureContext,
  type EventContext,
  GeneralError,
  type JsonValue,
  OpenFeatureEventEmitter,
  type Provider,
  ProviderEvents,
  type ResolutionDetails,
  type TrackingEventDetails,
} from '@openfeature/server-sdk';
import { type ChangeEvent, type ClientStatus, type FlagsClient, type FlagValue, INVALID_ENTITY_REASON, REASON_TARGETING_KEY_MISSING, type TrackBody, type VariationDetail } from '../server';
import { flagwireContextOf } from './context';
import { type ResolutionHints, resolutionOf } from './resolution';

export { flagwireContextOf } from './context';

/**
 * Serves OpenFeature's evaluations from a flagwire client: `OpenFeature.setProvider(new FlagwireProvider(client))`.
 * The evaluation context is mapped by `flagwireContextOf`; the client's status and changes become provider
 * events (READY, STALE, ERROR, CONFIGURATION_CHANGED); tracking events go to `client.track()`. OpenFeature's
 * shutdown closes the client, which delivers the events it still holds.
 */
export class FlagwireProvider implements Provider {
  readonly metadata = { name: 'flagwire' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();
  private listeners: (() => void)[] = [];
  /** Until `initialize` settles, the SDK reports its outcome (READY or ERROR) itself; status events would repeat it. */
  private initialized = false;
  private lastError: Error | null = null;

  constructor(private readonly client: FlagsClient) {}

  /** Waits for the client (at most its `startWaitMs`); fails, so the SDK reports ERROR, when it has no flags by then. */
  async initialize(): Promise<void> {
    this.listen();
    const status = await this.client.ready();
    this.initialized = true;
    if (status === 'ready') return;
    if (status === 'stale') {
      // Resolving makes the SDK announce READY; the staleness is announced after it, not lost under it.
      setTimeout(() => this.onStatus(this.client.status), 0);
      return;
    }
    const why = this.lastError ? `: ${this.lastError.message}` : '';
    throw new GeneralError(`[flagwire] the client is ${status}, with no flags to serve${why}`, { cause: this.lastError ?? undefined });
  }

  async onClose(): Promise<void> {
    this.stopListening();
    await this.client.close();
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean, context: OpenFeatureContext): Promise<ResolutionDetails<boolean>> {
    return this.resolve(flagKey, defaultValue, context);
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string, context: OpenFeatureContext): Promise<ResolutionDetails<string>> {
    return this.resolve(flagKey, defaultValue, context);
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number, context: OpenFeatureContext): Promise<ResolutionDetails<number>> {
    return this.resolve(flagKey, defaultValue, context);
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T, context: OpenFeatureContext): Promise<ResolutionDetails<T>> {
    return this.resolve(flagKey, defaultValue, context);
  }

  /** A tracking event as `client.track()`: the context's keys, `value` as the quantity, the other details as traits. */
  track(trackingEventName: string, context: OpenFeatureContext, trackingEventDetails: TrackingEventDetails): void {
    const { user, company } = flagwireContextOf(context);
    const { value, ...traits } = trackingEventDetails ?? {};
    const body: TrackBody = { event: trackingEventName };
    if (user) body.user = user;
    if (company) body.company = company;
    if (typeof value === 'number' && Number.isFinite(value)) body.quantity = value;
    if (Object.keys(traits).length > 0) body.traits = traits;
    void this.client.track(body);
  }

  private async resolve<T>(flagKey: string, defaultValue: T, context: OpenFeatureContext): Promise<ResolutionDetails<T>> {
    const detail = await this.client.variationDetail(flagwireContextOf(context), flagKey, defaultValue as FlagValue);
    return resolutionOf<T>(detail, this.hintsFor(detail));
  }

  /** What the variation cannot say by itself: why a flag was not evaluated, and what kind of error an error was. */
  private hintsFor(detail: VariationDetail): ResolutionHints {
    if (detail.kind === 'error') return { parseError: detail.reason === INVALID_ENTITY_REASON, targetingKeyMissing: detail.reason === REASON_TARGETING_KEY_MISSING };
    if (detail.kind !== 'default') return {};
    if (this.client.mode === 'offline') return { unevaluated: 'by_design' };
    return { unevaluated: this.client.status === 'initializing' ? 'not_ready' : 'failed' };
  }

  private listen(): void {
    this.stopListening();
    this.listeners = [
      this.client.on('status', (status) => this.onStatus(status)),
      this.client.on('change', (change) => this.events.emit(ProviderEvents.ConfigurationChanged, changeDetails(change))),
      this.client.on('error', (error) => {
        this.lastError = error;
        // With flags loaded the error makes the client stale, and the status event says so.
        if (this.initialized && this.client.status === 'initializing') this.events.emit(ProviderEvents.Error, { message: error.message });
      }),
    ];
  }

  private stopListening(): void {
    for (const off of this.listeners.splice(0)) off();
  }

  private onStatus(status: ClientStatus): void {
    if (!this.initialized) return;
    if (status === 'ready') this.events.emit(ProviderEvents.Ready);
    else if (status === 'stale') this.events.emit(ProviderEvents.Stale, this.lastError ? { message: this.lastError.message } : {});
    else if (status === 'closed') this.events.emit(ProviderEvents.Error, { message: '[flagwire] the client was closed; evaluations serve defaults' });
  }
}

/** Flag changes name their keys; a company or user change names the entity whose evaluations may differ. */
function changeDetails(change: ChangeEvent): EventContext {
  if (change.type === 'flags') return { flagsChanged: [...change.keys] };
  return { message: `${change.type} ${change.id} changed`, metadata: { entity: change.type, id: change.id } };
}
