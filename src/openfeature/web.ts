/**
 * `flagwire/openfeature/web`: an OpenFeature provider for `@openfeature/web-sdk` (and so `@openfeature/react-sdk`)
 * over the values the server evaluated for the page. Must not import anything other than types from
 * 'flagwire/server': the browser bundle carries no server code.
 */
import {
  type JsonValue,
  OpenFeatureEventEmitter,
  type Provider,
  ProviderEvents,
  type ResolutionDetails,
} from '@openfeature/web-sdk';
import type { FlagValue, SnapshotJSON } from 'flagwire/server';
import { fetchSnapshot, liveUrl, openLiveChannel } from '../browser/live-channel';
import { createFlagStore, EMPTY_SNAPSHOT, type FlagStore } from '../browser/flag-store';
import { changedKeys, payloadDetail } from './payload-detail';
import { resolutionOf } from './resolution';

export interface FlagwireWebProviderOptions {
  /** The server's `snapshot.toJSON()` for this page: served at once, with no request. */
  snapshot: SnapshotJSON | null | undefined;
  /**
   * The app's flags endpoint (answers `snapshot.toJSON()` for the session), as `<FlagProvider endpoint>`:
   * revalidated on focus, reconnect, live notices and context changes; fetched to initialize only when there
   * is no `snapshot`.
   */
  endpoint?: string;
  /** The app's live channel (a ws:// URL, or a path on this origin): a change notice revalidates `endpoint`. */
  live?: string;
}

/**
 * Serves OpenFeature's browser evaluations from the page's flag payload, synchronously, with reason CACHED:
 * `OpenFeature.setProvider(new FlagwireWebProvider({ snapshot, endpoint, live }))`. The evaluation context is
 * not read here: the server evaluated the flags for the session, and a context change revalidates the
 * endpoint. New values are announced with CONFIGURATION_CHANGED; a failed revalidation makes the provider
 * STALE (it keeps serving what it has) until one succeeds.
 */
export class FlagwireWebProvider implements Provider {
  readonly metadata = { name: 'flagwire' } as const;
  readonly runsOn = 'client' as const;
  readonly events = new OpenFeatureEventEmitter();
  private readonly store: FlagStore;
  private stopUpdates: (() => void) | null = null;
  private inFlight: Promise<void> | null = null;
  private fetchAgain = false;
  private stale = false;

  constructor(private readonly options: FlagwireWebProviderOptions) {
    this.store = createFlagStore(options.snapshot ?? EMPTY_SNAPSHOT);
  }

  async initialize(): Promise<void> {
    const { endpoint, snapshot } = this.options;
    this.startUpdates();
    // The page's values need no request; only a page rendered without them waits for the endpoint.
    if (snapshot || !endpoint) return;
    try {
      this.apply(await fetchSnapshot(endpoint));
    } catch (error) {
      // The SDK reports ERROR; the next revalidation that succeeds announces READY.
      this.stale = true;
      throw error;
    }
  }

  /** The session behind the new context is the server's to evaluate: fetch its values (a failure is an ERROR). */
  onContextChange(): Promise<void> | void {
    const { endpoint } = this.options;
    if (!endpoint) return;
    return fetchSnapshot(endpoint).then((next) => this.apply(next));
  }

  async onClose(): Promise<void> {
    this.stopUpdates?.();
    this.stopUpdates = null;
  }

  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean): ResolutionDetails<boolean> {
    return this.resolve(flagKey, defaultValue);
  }

  resolveStringEvaluation(flagKey: string, defaultValue: string): ResolutionDetails<string> {
    return this.resolve(flagKey, defaultValue);
  }

  resolveNumberEvaluation(flagKey: string, defaultValue: number): ResolutionDetails<number> {
    return this.resolve(flagKey, defaultValue);
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T): ResolutionDetails<T> {
    return this.resolve(flagKey, defaultValue);
  }

  private resolve<T>(flagKey: string, defaultValue: T): ResolutionDetails<T> {
    return resolutionOf<T>(payloadDetail(this.store.get(), flagKey, defaultValue as FlagValue));
  }

  /** Revalidation as the React provider's (SWR's focus and reconnect, plus live notices), without React. */
  private startUpdates(): void {
    const { endpoint, live } = this.options;
    if (!endpoint || typeof window === 'undefined' || this.stopUpdates) return;
    const revalidate = () => void this.revalidate(endpoint);
    const onVisible = () => document.visibilityState === 'visible' && revalidate();
    // The live channel revalidates when the page wakes (visible, online) itself; focus is left to us.
    const stopLive = live ? openLiveChannel(liveUrl(live), () => this.revalidate(endpoint)) : null;
    window.addEventListener('focus', revalidate);
    if (!stopLive) {
      window.addEventListener('online', revalidate);
      document.addEventListener('visibilitychange', onVisible);
    }
    this.stopUpdates = () => {
      stopLive?.();
      window.removeEventListener('focus', revalidate);
      window.removeEventListener('online', revalidate);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }

  /** One request at a time; a revalidation asked for meanwhile runs once, after it. */
  private revalidate(endpoint: string): Promise<void> {
    if (this.inFlight) {
      this.fetchAgain = true;
      return this.inFlight;
    }
    this.inFlight = this.fetchUntilCurrent(endpoint);
    return this.inFlight;
  }

  private async fetchUntilCurrent(endpoint: string): Promise<void> {
    try {
      do {
        this.fetchAgain = false;
        try {
          this.apply(await fetchSnapshot(endpoint));
        } catch (error) {
          this.markStale(error);
        }
      } while (this.fetchAgain && this.stopUpdates);
    } finally {
      // In the same turn as the last check of `fetchAgain`, so no request asked for in between is lost.
      this.inFlight = null;
    }
  }

  private apply(next: SnapshotJSON): void {
    const flagsChanged = changedKeys(this.store.get(), next);
    this.store.set(next);
    if (this.stale) {
      this.stale = false;
      this.events.emit(ProviderEvents.Ready);
    }
    if (flagsChanged.length > 0) this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged });
  }

  private markStale(error: unknown): void {
    if (this.stale) return;
    this.stale = true;
    this.events.emit(ProviderEvents.Stale, { message: error instanceof Error ? error.message : String(error) });
  }
}
