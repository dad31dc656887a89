import type { RolloutShare } from '../../featbit/dispatch';
import type { Md5Prefix } from '../../featbit/md5';
import type { FlagValue } from '../../../core/values';

/**
 * A flags-file flag with variations or rollouts, compiled. Its conditions live in the Schematic wire flag of
 * the same key (each rule there is a "matched" marker); this table says what each matching rule serves.
 */
export interface VariantFlag {
  readonly key: string;
  /** Every variation, in the file's order; outcomes refer to them by index. */
  readonly variations: readonly Variation[];
  /** `false` when the file says `"enabled": false`: every context gets `offVariation`. */
  readonly enabled: boolean;
  /** The variation served while the flag is off. */
  readonly offVariation: number;
  /** The flag's `default`: served when a rollout cannot bucket and when an entitlement's limit is reached. */
  readonly defaultVariation: number;
  /** What each matching Schematic rule serves, by the compiled rule's id. */
  readonly outcomes: ReadonlyMap<string, Outcome>;
  /** What a context no rule matched gets: the default, or the flag-level rollout. */
  readonly fallthrough: Outcome;
  /** The flag key packed once for dispatch (every rollout hashes flag key + attribute), so resolving allocates nothing. */
  readonly dispatchPrefix: Md5Prefix;
}

export interface Variation {
  /** The variation's name: its key in a named map, or the value's text in a list. */
  readonly name: string;
  readonly value: FlagValue;
}

/** A rule's (or the fallthrough's) result: one variation, or a percentage rollout over several. */
export type Outcome = { readonly kind: 'fixed'; readonly variation: number } | RolloutOutcome;

export interface RolloutOutcome {
  readonly kind: 'rollout';
  /** Whose attribute keeps the assignment sticky: `{ entity: 'user', name: 'key' }` unless the file says `by`. */
  readonly by: AttributeRef;
  /** Shares in the file's order, as consecutive FeatBit rollout intervals of [0, 1]; the first that holds the bucket wins. */
  readonly shares: readonly { readonly variation: number; readonly share: RolloutShare }[];
}

/** An attribute of the context's user or company: `user.key`, `user.country`, `company.id`, … */
export interface AttributeRef {
  readonly entity: 'user' | 'company';
  readonly name: string;
}

/** Reads an attribute's value as text for bucketing; `undefined` when the context has none. */
export type AttributeReader = (ref: AttributeRef) => string | undefined;
