import type { FlagValue } from './values';

/**
 * An exposure: one visitor saw one flag's value during one page view. It is counted where the value reaches the
 * visitor — a read of the request's snapshot on the server (a server render, an Express view), or a component
 * rendering a hook's value in the browser — once per page view, flag and value, however often it is read,
 * rendered, revalidated or (in React's StrictMode) mounted twice. A value that changes during the page view (a
 * live update serving another variation) is a new exposure: the visitor saw that one too.
 */
export interface Exposure {
  readonly flag: string;
  /** The value the flag served. */
  readonly value: FlagValue;
  /** The variation served, for flags with variations; `null` for on/off flags. */
  readonly variation: string | null;
  /**
   * The page view it happened in: the server request and the page it rendered share one id, so a value the
   * server rendered and the browser then showed is one exposure, not two. Pipelines spanning several server
   * processes dedupe on (pageView, flag, variation) too.
   */
  readonly pageView: string;
  /** Who saw it: the company and user keys of the request's context (`null` when it gave none). */
  readonly company: Readonly<Record<string, string>> | null;
  readonly user: Readonly<Record<string, string>> | null;
  /** Where it was seen: read on the server, or rendered by a component in the browser. */
  readonly source: 'server' | 'browser';
  /** When, as an ISO 8601 time. */
  readonly at: string;
}

/** What `createFlagsClient({ onExposures })` is: called with batches of exposures, after responses. */
export type ExposureHandler = (exposures: readonly Exposure[]) => void | Promise<void>;

/** An exposure's key within its page view: the flag, and the variation (or the value, for on/off flags). */
function exposureKey(exposure: Pick<Exposure, 'flag' | 'variation' | 'value'>): string {
  return `${exposure.flag}\u0000${exposure.variation ?? `=${JSON.stringify(exposure.value)}`}`;
}

/**
 * The exposures seen lately, so one reported twice (by the server and the browser for the same page view, or by
 * two renders) passes once. Bounded: the oldest page views are forgotten first, and a page view lives in a
 * process for minutes at most, so a few thousand are plenty.
 */
export class SeenExposures {
  private readonly byPageView = new Map<string, Set<string>>();

  constructor(private readonly maxPageViews = 10_000) {}

  /** The exposures not seen before, in order, now remembered. */
  firstSeen(exposures: readonly Exposure[]): Exposure[] {
    const fresh: Exposure[] = [];
    for (const exposure of exposures) {
      let seen = this.byPageView.get(exposure.pageView);
      if (seen === undefined) {
        seen = new Set();
        this.byPageView.set(exposure.pageView, seen);
        if (this.byPageView.size > this.maxPageViews) this.byPageView.delete(this.byPageView.keys().next().value as string);
      }
      const key = exposureKey(exposure);
      if (seen.has(key)) continue;
      seen.add(key);
      fresh.push(exposure);
    }
    return fresh;
  }
}

/** A new page view's id: random, so ids from different processes and browsers do not meet. */
export function newPageViewId(): string {
  return globalThis.crypto.randomUUID();
}

/** The string keys of a context's company or user: who saw an exposure (`null` when none are given). */
export function visitorKeys(keys: unknown): Readonly<Record<string, string>> | null {
  if (typeof keys !== 'object' || keys === null) return null;
  const strings = Object.entries(keys).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  return strings.length === 0 ? null : Object.fromEntries(strings);
}
