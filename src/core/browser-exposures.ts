import type { FlagDefinition } from './definitions';
import { type Exposure, visitorKeys } from './exposures';
import type { EvaluationContext } from './types';
import { type FlagValue, isFlagValue } from './values';

/** The most exposures one browser report may carry: a page shows a few dozen flags at most. */
export const MAX_BROWSER_EXPOSURES = 100;
const PAGE_VIEW = /^[A-Za-z0-9_-]{8,64}$/;
const MAX_NAME_LENGTH = 200;

/** A browser's report, read: the exposures to count, or why the report was refused (nothing of it is counted). */
export type BrowserExposures = { readonly exposures: readonly Exposure[] } | { readonly problem: string };

interface Reported {
  readonly flag: string;
  readonly value: FlagValue;
  readonly variation: string | null;
}

/**
 * Reads what the browser says it showed (`{ pageView, exposures: [{ flag, value, variation }] }`, from
 * flagwire/react's provider). The browser is not trusted: who saw it comes from the request's context, not the
 * body; where the flags are known, only flags that may reach the browser count, and the value and variation are
 * the flag's own (one the browser names that the flag cannot serve refuses the report); a report is bounded.
 */
export function readBrowserExposures(body: unknown, definitions: readonly FlagDefinition[], context: EvaluationContext, at: string): BrowserExposures {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { problem: 'expected { pageView, exposures: [{ flag, value, variation }] }' };
  const { pageView, exposures } = body as Record<string, unknown>;
  if (typeof pageView !== 'string' || !PAGE_VIEW.test(pageView)) return { problem: 'pageView: expected the page view id the payload carried (8 to 64 letters, digits, - or _)' };
  if (!Array.isArray(exposures)) return { problem: 'exposures: expected a list' };
  if (exposures.length > MAX_BROWSER_EXPOSURES) return { problem: `exposures: at most ${MAX_BROWSER_EXPOSURES} in one report` };
  const byKey = new Map(definitions.map((definition) => [definition.key, definition]));
  const read: Exposure[] = [];
  for (const [i, item] of exposures.entries()) {
    const reported = reportedItem(item);
    if (typeof reported === 'string') return { problem: `exposures[${i}]: ${reported}` };
    const served = byKey.size === 0 ? servedWithoutDefinitions(reported) : servedByDefinition(reported, byKey.get(reported.flag));
    if (typeof served === 'string') return { problem: `exposures[${i}]: ${served}` };
    read.push({ ...served, pageView, company: visitorKeys(context?.company), user: visitorKeys(context?.user), source: 'browser', at });
  }
  return { exposures: read };
}

function reportedItem(item: unknown): Reported | string {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return 'expected { flag, value, variation }';
  const { flag, value, variation } = item as Record<string, unknown>;
  if (typeof flag !== 'string' || flag === '' || flag.length > MAX_NAME_LENGTH) return 'flag: expected a flag key';
  if (!isFlagValue(value)) return 'value: expected a flag value';
  if (variation !== undefined && variation !== null && (typeof variation !== 'string' || variation.length > MAX_NAME_LENGTH)) return 'variation: expected a variation name or null';
  return { flag, value, variation: typeof variation === 'string' ? variation : null };
}

/** Where the client knows its flags: the flag must be one the browser may be sent, and the value one it serves. */
function servedByDefinition(reported: Reported, definition: FlagDefinition | undefined): Reported | string {
  if (definition === undefined || !definition.client) return `flag "${reported.flag}" is not one this app sends to browsers`;
  const text = JSON.stringify(reported.value);
  const variation = definition.variations.find((candidate) => (reported.variation !== null ? candidate.name === reported.variation : JSON.stringify(candidate.value) === text));
  if (variation === undefined) return `flag "${reported.flag}" serves no such ${reported.variation !== null ? 'variation' : 'value'}`;
  const onOff = typeof variation.value === 'boolean';
  return { flag: definition.key, value: variation.value, variation: onOff ? null : variation.name };
}

/** Where the flags live elsewhere (Schematic's API): on/off flags, so a value is a boolean. */
function servedWithoutDefinitions(reported: Reported): Reported | string {
  if (typeof reported.value !== 'boolean') return 'value: expected true or false';
  return { flag: reported.flag, value: reported.value, variation: null };
}
