import type { ProviderEventName } from '../openfeature/tck-steps';

/**
 * The conformance suite's event names in one SDK's own `ProviderEvents` enum: the server and web SDKs each
 * declare theirs (same members, distinct types), so each harness passes its SDK's.
 */
export function tckProviderEvents<Event>(events: { Ready: Event; Stale: Event; Error: Event; ConfigurationChanged: Event }): Record<ProviderEventName, Event> {
  return { ready: events.Ready, stale: events.Stale, error: events.Error, change: events.ConfigurationChanged };
}
