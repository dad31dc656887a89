import type { AttributeSource, ParsedFeatBitCondition, ParsedFeatBitUser } from './parsed-types';

/**
 * Reading user attributes. Only `keyId` and `name` are built in (FeatBit's Node SDK and spec; no aliases such
 * as `key` or `KeyId`); every other property is a custom one. A missing attribute is `undefined`.
 */
export function userAttribute(user: ParsedFeatBitUser, source: AttributeSource, property: string): string | undefined {
  switch (source) {
    case 'key':
      return user.key;
    case 'name':
      return user.name;
    case 'custom':
      return user.properties.get(property);
    default:
      return undefined;
  }
}

/** The attribute a rollout buckets by: the user key for `null`, else the attribute's value, `""` when missing. */
export function dispatchAttribute(user: ParsedFeatBitUser, property: string | null): string {
  if (property === null || property === 'keyId') return user.key;
  if (property === 'name') return user.name;
  return user.properties.get(property) ?? '';
}

/**
 * Whether an ordinary condition holds, or why it cannot be evaluated. A missing attribute makes every
 * ordinary condition false, negative operators included (FeatBit's spec).
 */
export function ordinaryHolds(condition: ParsedFeatBitCondition, user: ParsedFeatBitUser): boolean | string {
  if (condition.problem !== null) return condition.problem;
  const value = userAttribute(user, condition.source, condition.property);
  return value !== undefined && condition.test(value);
}
