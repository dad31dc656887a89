import { InvalidEntityError } from '../../core/errors';
import type { ParsedFeatBitUser } from '../../evaluators/featbit/parsed-types';
import { isParsedFeatBitUser, parseFeatBitUser } from '../../evaluators/featbit/parse-user';
import type { FeatBitUser } from '../../evaluators/featbit/wire-types';

/**
 * FeatBit's insight items as JSON (its server SDK spec, insight events), made when an event is queued: the
 * caller hears of a value that cannot be sent at once, the user is captured as it was at evaluation time, and
 * the sender only has to join finished items. Pure functions; each throws `InvalidEntityError` saying why.
 */

/** FeatBit's `appType` for metrics sent by flagwire (its SDKs send their own name here). */
export const INSIGHT_APP_TYPE = 'flagwire';

/** The largest magnitude a JS Date holds. */
const MAX_DATE_MS = 8.64e15;

/** A variation as an evaluation insight names it. */
export interface InsightVariation {
  id: string;
  value: string;
}

/**
 * The user as insight events carry it: `{ keyId, name, customizedProperties: [{ name, value }] }`, from a wire
 * user (`key` or `keyId`) or one already parsed for evaluation.
 */
export function insightUserJson(user: FeatBitUser | ParsedFeatBitUser): string {
  // A parsed user would pass the wire check too, but without its properties (they live in a Map there).
  const parsed = isParsedFeatBitUser(user) ? user : parseFeatBitUser(user);
  const customizedProperties = [...parsed.properties].map(([name, value]) => ({ name, value }));
  return JSON.stringify({ keyId: parsed.key, name: parsed.name, customizedProperties });
}

/** One `{ user, variations: [...] }` item. @param userJson from `insightUserJson` */
export function evaluationItemJson(userJson: string, flagKey: string, variation: InsightVariation, sendToExperiment: boolean, timestampMs: number): string {
  if (typeof flagKey !== 'string' || flagKey === '') throw new InvalidEntityError('featbit flag', 'key', 'an evaluation insight needs a flag key');
  if (typeof variation !== 'object' || variation === null || typeof variation.id !== 'string' || typeof variation.value !== 'string') {
    throw new InvalidEntityError('featbit flag', 'variation', 'an evaluation insight needs a variation { id, value } of strings');
  }
  if (typeof sendToExperiment !== 'boolean') throw new InvalidEntityError('featbit flag', 'sendToExperiment', `expected a boolean, got ${typeof sendToExperiment}`);
  const entry = { featureFlagKey: flagKey, variation: { id: variation.id, value: variation.value }, timestamp: wireTimestamp(timestampMs), sendToExperiment };
  return `{"user":${userJson},"variations":[${JSON.stringify(entry)}]}`;
}

/** One `{ user, metrics: [...] }` item. @param userJson from `insightUserJson` */
export function metricItemJson(userJson: string, eventName: string, numericValue: number, timestampMs: number): string {
  if (typeof eventName !== 'string' || eventName === '') throw new InvalidEntityError('options', 'eventName', 'a metric needs an event name');
  if (typeof numericValue !== 'number' || !Number.isFinite(numericValue)) {
    throw new InvalidEntityError('options', 'numericValue', `expected a finite number, got ${describe(numericValue)}`);
  }
  const entry = { route: 'index/metric', type: 'CustomEvent', appType: INSIGHT_APP_TYPE, eventName, numericValue, timestamp: wireTimestamp(timestampMs) };
  return `{"user":${userJson},"metrics":[${JSON.stringify(entry)}]}`;
}

/** A POST body: the items as one JSON array. */
export function insightBatchJson(items: readonly string[]): string {
  return `[${items.join(',')}]`;
}

/**
 * Whole milliseconds: FeatBit reads `timestamp` as an integer, and one fraction would get the whole batch
 * refused (a 400 drops every item in it), so it is cut here rather than refused.
 */
function wireTimestamp(ms: number): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) {
    throw new InvalidEntityError('options', 'timestamp', `expected a time in milliseconds, got ${describe(ms)}`);
  }
  return Math.floor(ms);
}

function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : typeof value;
}
