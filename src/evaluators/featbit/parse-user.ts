import { PARSED } from '../schematic/engine/parsed-types';
import type { ParsedFeatBitUser } from './parsed-types';
import { childPath, FeatBitReader } from './wire-read';
import type { FeatBitUser } from './wire-types';

type Loose = Record<string, unknown>;

function plain(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as Loose).toJSON !== 'function';
}

/**
 * The common case without the wire reader's bookkeeping: a plain object with a string key, an optional string
 * name and string-valued properties. Anything else returns `null` and goes through the validating reader, which
 * accepts what JSON would carry and names the first problem.
 */
function quickUser(user: unknown): ParsedFeatBitUser | null {
  if (!plain(user)) return null;
  const { key, keyId, name, customizedProperties } = user;
  if (typeof key !== 'string' || (keyId !== undefined && keyId !== key) || key.trim() === '') return null;
  if (name !== undefined && name !== null && typeof name !== 'string') return null;
  const properties = new Map<string, string>();
  if (customizedProperties !== undefined && customizedProperties !== null) {
    if (!Array.isArray(customizedProperties)) return null;
    for (const property of customizedProperties) {
      if (!plain(property) || typeof property.name !== 'string' || typeof property.value !== 'string') return null;
      if (!properties.has(property.name)) properties.set(property.name, property.value);
    }
  }
  return parsedFeatBitUser(key, name ?? '', properties);
}

/** A user ready for evaluation, from parts already checked: a non-blank key, a name, properties by name. */
export function parsedFeatBitUser(key: string, name: string, properties: Map<string, string>): ParsedFeatBitUser {
  return Object.freeze({ [PARSED]: 'featbit-user' as const, key, name, properties });
}

/**
 * Validates a FeatBit user and prepares it for evaluation: `{ key, name?, customizedProperties? }`, as
 * FeatBit's server SDKs take it, or with `keyId` (the spelling of FeatBit's insight events) for `key`.
 * @throws InvalidEntityError when the key is missing or blank, both spellings disagree, or a field has the wrong type.
 */
export function parseFeatBitUser(user: FeatBitUser | unknown): ParsedFeatBitUser {
  const quick = quickUser(user);
  if (quick !== null) return quick;
  const reader: FeatBitReader = new FeatBitReader('featbit user');
  const obj = reader.object(user, '');
  const key = reader.optionalString(obj, 'key', '');
  const keyId = reader.optionalString(obj, 'keyId', '');
  if (key !== null && keyId !== null && key !== keyId) reader.fail('keyId', 'the key is given twice, as "key" and as "keyId", with different values');
  const userKey = key ?? keyId;
  if (userKey === null) return reader.fail('key', 'missing required field (expected a string)');
  // FeatBit's SDKs refuse a blank key: no evaluation, no event.
  if (userKey.trim() === '') reader.fail(key === null ? 'keyId' : 'key', 'the user key is blank');
  const properties = new Map<string, string>();
  reader.list(obj, 'customizedProperties', '').forEach((item, i) => {
    const path = childPath('customizedProperties', i);
    const property = reader.object(item, path);
    const name = reader.string(property, 'name', path);
    const value = reader.string(property, 'value', path);
    // The first property of a name wins, as FeatBit's SDKs search the list in order.
    if (!properties.has(name)) properties.set(name, value);
  });
  return parsedFeatBitUser(userKey, reader.optionalString(obj, 'name', '') ?? '', properties);
}

/** Whether a value is a user made by `parseFeatBitUser`. */
export function isParsedFeatBitUser(value: unknown): value is ParsedFeatBitUser {
  return typeof value === 'object' && value !== null && (value as { [PARSED]?: unknown })[PARSED] === 'featbit-user';
}
