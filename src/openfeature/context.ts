import type { EvaluationContext as OpenFeatureContext } from '@openfeature/server-sdk';
import type { AttributeValue, EvaluationContext } from '../server';

type Attributes = Record<string, AttributeValue>;

/**
 * The one place an OpenFeature evaluation context becomes a flagwire context. The rule:
 * - `targetingKey` is the user's key: `user: { key }` (flagwire's rollouts and FeatBit users read `key` first);
 * - `user` and `company`, when objects, are the keys that find the stored user and company (`{ email }`,
 *   `{ id, domain }`, …), as in flagwire's own context; their string entries are used, numbers as text. A
 *   `key` given in `user` wins over `targetingKey`;
 * - every other attribute with a scalar value (string, finite number, boolean; a Date as RFC 3339 text) is a
 *   request-time attribute, which conditions read like traits: `company.<name>` of the company, `user.<name>`
 *   and any plain `<name>` of the user (`country: 'DE'` is read by `user.country = DE`);
 * - anything else (other objects, lists, null) is ignored: no condition compares it.
 */
export function flagwireContextOf(context: OpenFeatureContext): EvaluationContext {
  const result: EvaluationContext = {};
  const user = keysOf(context.user);
  const targetingKey = context.targetingKey;
  if (typeof targetingKey === 'string' && targetingKey !== '' && !Object.hasOwn(user, 'key')) user.key = targetingKey;
  if (hasAny(user)) result.user = orderedKeyFirst(user);
  const company = keysOf(context.company);
  if (hasAny(company)) result.company = company;
  const attributes = attributesOf(context);
  if (attributes) result.attributes = attributes;
  return result;
}

/** The key the targeting key gave goes first: flagwire reads a context's first key when it has no `key`. */
function orderedKeyFirst(keys: Record<string, string>): Record<string, string> {
  if (!Object.hasOwn(keys, 'key')) return keys;
  const { key, ...rest } = keys;
  return { key: key as string, ...rest };
}

function keysOf(value: unknown): Record<string, string> {
  const keys: Record<string, string> = {};
  if (!isPlainRecord(value)) return keys;
  for (const name of Object.keys(value)) {
    const item = value[name];
    if (typeof item === 'string') keys[name] = item;
    else if (typeof item === 'number' && Number.isFinite(item)) keys[name] = String(item);
  }
  return keys;
}

function attributesOf(context: OpenFeatureContext): EvaluationContext['attributes'] | null {
  const user: Attributes = {};
  const company: Attributes = {};
  for (const name of Object.keys(context)) {
    if (name === 'targetingKey' || name === 'user' || name === 'company') continue;
    const value = scalarOf(context[name]);
    if (value === undefined) continue;
    if (name.startsWith('company.')) company[name.slice('company.'.length)] = value;
    else user[name.startsWith('user.') ? name.slice('user.'.length) : name] = value;
  }
  if (!hasAny(user) && !hasAny(company)) return null;
  return { ...(hasAny(user) ? { user } : {}), ...(hasAny(company) ? { company } : {}) };
}

function scalarOf(value: unknown): AttributeValue | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  return undefined;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function hasAny(record: Record<string, unknown>): boolean {
  for (const _ in record) return true;
  return false;
}
