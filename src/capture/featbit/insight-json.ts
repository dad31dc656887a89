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

const NON_ASCII = /[\u0080-\uffff]/;
const EACH_NON_ASCII = /[\u0080-\uffff]/g;

function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * JSON text with every character past ASCII written as a `\u` escape: the same JSON (outside strings JSON is
 * ASCII already), in bytes equal to its characters, so a batch is sent with no UTF-8 pass (see insightBatchBody).
 * Every item text made here goes through it.
 */
export function asciiJson(json: string): string {
  return NON_ASCII.test(json) ? json.replace(EACH_NON_ASCII, unicodeEscape) : json;
}

/**
 * The user as insight events carry it: `{ keyId, name, customizedProperties: [{ name, value }] }`, from a wire
 * user (`key` or `keyId`) or one already parsed for evaluation.
 */
export function insightUserJson(user: FeatBitUser | ParsedFeatBitUser): string {
  // A parsed user would pass the wire check too, but without its properties (they live in a Map there).
  const parsed = isParsedFeatBitUser(user) ? user : parseFeatBitUser(user);
  const customizedProperties = [...parsed.properties].map(([name, value]) => ({ name, value }));
  return asciiJson(JSON.stringify({ keyId: parsed.key, name: parsed.name, customizedProperties }));
}

/** One `{ user, variations: [...] }` item with one evaluation. @param userJson from `insightUserJson` */
export function evaluationItemJson(userJson: string, flagKey: string, variation: InsightVariation, sendToExperiment: boolean, timestampMs: number): string {
  return evaluationsItemJson(userJson, [evaluationEntryJson(flagKey, variation, sendToExperiment, timestampMs)]);
}

/**
 * One `{ user, variations: [...] }` item with every evaluation of a request: FeatBit's event server reads each
 * entry as one insight, so twenty reads cost one item rather than twenty copies of the user.
 * @param entries from `evaluationEntryJson`
 */
export function evaluationsItemJson(userJson: string, entries: readonly string[]): string {
  return `{"user":${userJson},"variations":[${entries.join(',')}]}`;
}

/** One entry of an item's `variations`: `{ featureFlagKey, variation: { id, value }, timestamp, sendToExperiment }`. */
export function evaluationEntryJson(flagKey: string, variation: InsightVariation, sendToExperiment: boolean, timestampMs: number): string {
  return `${evaluationEntryPrefix(flagKey, variation)}${wireTimestamp(timestampMs)}${sendToExperimentSuffix(sendToExperiment)}`;
}

/**
 * An entry up to its timestamp: the same for every read of one flag's variation, so a caller may keep it (the
 * timestamp and the experiment mark are the only parts that change between reads).
 */
export function evaluationEntryPrefix(flagKey: string, variation: InsightVariation): string {
  if (typeof flagKey !== 'string' || flagKey === '') throw new InvalidEntityError('featbit flag', 'key', 'an evaluation insight needs a flag key');
  if (typeof variation !== 'object' || variation === null || typeof variation.id !== 'string' || typeof variation.value !== 'string') {
    throw new InvalidEntityError('featbit flag', 'variation', 'an evaluation insight needs a variation { id, value } of strings');
  }
  return asciiJson(`{"featureFlagKey":${JSON.stringify(flagKey)},"variation":${JSON.stringify({ id: variation.id, value: variation.value })},"timestamp":`);
}

/** An entry after its timestamp. */
export function sendToExperimentSuffix(sendToExperiment: boolean): string {
  if (typeof sendToExperiment !== 'boolean') throw new InvalidEntityError('featbit flag', 'sendToExperiment', `expected a boolean, got ${typeof sendToExperiment}`);
  return sendToExperiment ? ',"sendToExperiment":true}' : ',"sendToExperiment":false}';
}

/** A timestamp as an entry carries it: whole milliseconds. */
export function entryTimestamp(ms: number): number {
  return wireTimestamp(ms);
}

/** One `{ user, metrics: [...] }` item. @param userJson from `insightUserJson` */
export function metricItemJson(userJson: string, eventName: string, numericValue: number, timestampMs: number): string {
  if (typeof eventName !== 'string' || eventName === '') throw new InvalidEntityError('options', 'eventName', 'a metric needs an event name');
  if (typeof numericValue !== 'number' || !Number.isFinite(numericValue)) {
    throw new InvalidEntityError('options', 'numericValue', `expected a finite number, got ${describe(numericValue)}`);
  }
  const entry = { route: 'index/metric', type: 'CustomEvent', appType: INSIGHT_APP_TYPE, eventName, numericValue, timestamp: wireTimestamp(timestampMs) };
  return `{"user":${userJson},"metrics":[${asciiJson(JSON.stringify(entry))}]}`;
}

/** A POST body: the items as one JSON array. */
export function insightBatchJson(items: readonly string[]): string {
  return `[${items.join(',')}]`;
}

/**
 * The same body as bytes, for sending. Items are ASCII (made by the functions here, through asciiJson), so on
 * Node each is copied into the body as it is: no joined string, no UTF-8 length scan, no encoding pass — the
 * three copies of every byte a string body costs (twenty reads make some 3 KB of insight per request).
 */
export function insightBatchBody(items: readonly string[]): Uint8Array<ArrayBuffer> {
  if (typeof Buffer === 'undefined') return new TextEncoder().encode(insightBatchJson(items));
  let length = items.length === 0 ? 2 : items.length + 1;
  for (const item of items) length += item.length;
  const body = Buffer.allocUnsafe(length);
  let at = 0;
  body[at++] = OPEN_BRACKET;
  for (let i = 0; i < items.length; i++) {
    if (i > 0) body[at++] = COMMA;
    at += body.write(items[i] as string, at, 'latin1');
  }
  body[at] = CLOSE_BRACKET;
  return body;
}

const OPEN_BRACKET = 0x5b;
const COMMA = 0x2c;
const CLOSE_BRACKET = 0x5d;

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
