import type { FlagValue } from './values';

/**
 * What a flag is, as tools show it (the Flags SDK's Flags Explorer, flagwire's toolbar, `flagwire types`): its
 * key, what it is for, and every value it can serve. Never its rules: a definition says what, not for whom.
 */
export interface FlagDefinition {
  readonly key: string;
  /** The flags file's `description` (FeatBit: the flag's name); `null` when it has none. */
  readonly description: string | null;
  /** Every value the flag can serve, in the file's order; an on/off flag's are `true` and `false`. */
  readonly variations: readonly FlagVariation[];
  /** Whether its value may be sent to browsers (the file's `client`, or the client's `clientFlags`). */
  readonly client: boolean;
}

export interface FlagVariation {
  /** The variation's name as results report it (`variation`): the file's name, FeatBit's id, `"true"`/`"false"`. */
  readonly name: string;
  /** How a person reads it: the file's name, FeatBit's value text, `On`/`Off`. */
  readonly label: string;
  readonly value: FlagValue;
}

/** The two variations of an on/off flag. */
export const ON_OFF_VARIATIONS: readonly FlagVariation[] = Object.freeze([
  Object.freeze({ name: 'true', label: 'On', value: true }),
  Object.freeze({ name: 'false', label: 'Off', value: false }),
]);
