/**
 * Schematic's Redis key layout, shared by its Go and Node SDKs and its replicator, so
 * flagwire can read and write the same cache:
 *   {prefix}flags:{version}:{lower(flagKey)}                → the flag
 *   {prefix}company:{version}:{companyId}                   → the company
 *   {prefix}company:{version}:{lower(name)}:{lower(value)} → the company id, as a JSON string
 * and the same for `user:`.
 */
export const DEFAULT_KEY_PREFIX = 'schematic:';

/**
 * The engine version segment flagwire writes in direct (non-replicator) mode: the version key of the
 * Schematic rules engine whose semantics flagwire reproduces (WASM 1.6.2), so flagwire and Schematic's SDK
 * share cache entries. In replicator mode the replicator's `cache_version` is used instead.
 */
export const ENGINE_VERSION_KEY = '4b54a537';

export type EntityKind = 'company' | 'user';

export class RedisKeys {
  constructor(
    private readonly prefix: string,
    private readonly version: () => string,
  ) {}

  flag(key: string): string {
    return `${this.prefix}flags:${this.version()}:${key.toLowerCase()}`;
  }

  flagPattern(): string {
    return `${this.prefix}flags:${this.version()}:*`;
  }

  entity(kind: EntityKind, id: string): string {
    return `${this.prefix}${kind}:${this.version()}:${id}`;
  }

  keyMap(kind: EntityKind, name: string, value: string): string {
    return `${this.prefix}${kind}:${this.version()}:${name.toLowerCase()}:${value.toLowerCase()}`;
  }
}
