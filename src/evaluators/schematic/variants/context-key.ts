/**
 * The one place a context's keys become a single "key", the way FeatBit and LaunchDarkly name a user: it is
 * the default attribute of percentage rollouts, and the key a FeatBit user gets. `key` when the context has
 * one, else `id`, else the first key given (so a context with several keys should list its stable one first).
 */
export function contextKey(keys: Readonly<Record<string, string>> | undefined): string | undefined {
  if (keys === undefined || keys === null) return undefined;
  if (typeof keys.key === 'string' && Object.hasOwn(keys, 'key')) return keys.key;
  if (typeof keys.id === 'string' && Object.hasOwn(keys, 'id')) return keys.id;
  for (const name in keys) {
    const value = keys[name];
    if (Object.hasOwn(keys, name) && typeof value === 'string') return value;
  }
  return undefined;
}
