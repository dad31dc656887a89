import { parsedFeatBitUser } from './parse-user';
import type { ParsedFeatBitUser } from './parsed-types';
import type { FeatBitUser } from './wire-types';
import type { AttributeValue, EvaluationContext } from '../../core/types';
import { contextKey } from '../schematic/variants/context-key';

/**
 * The one place a flagwire context becomes a FeatBit user, for evaluation and for insight events:
 * - `key`: the user's key (`key`, else `id`, else the first user key — see contextKey); a context with no
 *   user is evaluated as its company (B2B apps often flag by company), by the company's key;
 * - `name`: the `name` request-time attribute of the user, else a user key called `name`, else `""`;
 * - custom properties: every user key and user attribute by its name (attributes win over keys), then every
 *   company key and company attribute as `company.<name>`. Values are text, as FeatBit stores them.
 * A context with neither a user nor a company key has no FeatBit user: its flags answer with the default.
 */
export function featBitUserOf(context: EvaluationContext | undefined): FeatBitUser | null {
  const parts = userParts(context);
  if (parts === null) return null;
  return { keyId: parts.key, name: parts.name, customizedProperties: [...parts.properties].map(([name, value]) => ({ name, value })) };
}

/** The context's FeatBit user, parsed for evaluation; `null` when it has none (see featBitUserOf). */
export function featBitUserFor(context: EvaluationContext | undefined): ParsedFeatBitUser | null {
  // Made straight from the context, once per request: the same user `parseFeatBitUser(featBitUserOf(context))`
  // makes, without the wire form in between.
  const parts = userParts(context);
  return parts === null ? null : parsedFeatBitUser(parts.key, parts.name, parts.properties);
}

function userParts(context: EvaluationContext | undefined): { key: string; name: string; properties: Map<string, string> } | null {
  const user = context?.user;
  const company = context?.company;
  const key = contextKey(user) ?? contextKey(company);
  if (key === undefined || key.trim() === '') return null;
  const properties = new Map<string, string>();
  addAll(properties, '', user);
  addAll(properties, '', context?.attributes?.user);
  addAll(properties, 'company.', company);
  addAll(properties, 'company.', context?.attributes?.company);
  const name = properties.get('name') ?? '';
  properties.delete('name');
  return { key, name, properties };
}

function addAll(into: Map<string, string>, prefix: string, values: Readonly<Record<string, AttributeValue>> | undefined): void {
  if (typeof values !== 'object' || values === null) return;
  for (const name in values) {
    const value = values[name];
    if (!Object.hasOwn(values, name) || (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')) continue;
    into.set(prefix === '' ? name : `${prefix}${name}`, String(value));
  }
}
