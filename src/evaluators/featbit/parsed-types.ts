import type { PARSED } from '../schematic/engine/parsed-types';
import type { RolloutShare } from './dispatch';
import type { Md5Prefix } from './md5';
import type { FeatBitEvaluation } from './result';

/**
 * FeatBit entities after parsing: validated once, with operators compiled (numbers parsed, lists and regular
 * expressions built) and every possible result prepared, so an evaluation does no JSON work and allocates
 * nothing. Build them with `parseFeatBitFlag`, `parseFeatBitSegment` and `parseFeatBitUser`; treat them as
 * opaque and immutable. They carry the same `PARSED` brand as the Schematic engine's entities.
 */

/**
 * Where a condition reads its user value from: a custom property, the key (`keyId`), the name (`name`, `""`
 * when the user has none), or nowhere (a blank property name, so the condition never holds).
 */
export type AttributeSource = 'custom' | 'key' | 'name' | 'none';

/** Whether a flag condition is an ordinary one or a segment test. */
export type ConditionKind = 'ordinary' | 'in-segment' | 'not-in-segment';

export interface ParsedFeatBitCondition {
  readonly property: string;
  readonly op: string | null;
  readonly value: string;
  readonly kind: ConditionKind;
  readonly source: AttributeSource;
  /** For segment conditions: the segment ids, in order. */
  readonly segmentIds: readonly string[];
  /** For ordinary conditions: does the user's (present) value satisfy the condition? */
  readonly test: (userValue: string) => boolean;
  /** Why the condition cannot be evaluated (a bad list or regular expression); evaluating it is an error. */
  readonly problem: string | null;
}

/** One share of a rollout, with its two possible results prepared. */
export interface ParsedFeatBitShare extends RolloutShare {
  readonly variationId: string;
  readonly exptRollout: number;
  /** Which users of this share the experiment samples; `null` for none. */
  readonly experiment: RolloutShare | null;
  /** The result when the event is not sent to the experiment, then when it is; an error for an unknown variation. */
  readonly results: readonly [FeatBitEvaluation, FeatBitEvaluation];
}

/** A rollout (of a rule or the fallthrough). */
export interface ParsedFeatBitRollout {
  /** The attribute to bucket by; `null` for the user key. */
  readonly dispatchProperty: string | null;
  readonly includedInExpt: boolean;
  readonly shares: readonly ParsedFeatBitShare[];
  /** The result when no share holds the user's bucket. */
  readonly uncovered: FeatBitEvaluation;
}

export interface ParsedFeatBitRule extends ParsedFeatBitRollout {
  readonly id: string | null;
  readonly name: string;
  readonly conditions: readonly ParsedFeatBitCondition[];
}

export interface ParsedFeatBitFlag {
  readonly [PARSED]: 'featbit-flag';
  readonly id: string | null;
  readonly key: string;
  /** The key packed for hashing: the prefix of dispatch inputs. */
  readonly dispatchPrefix: Md5Prefix;
  /** `"expt" + key` packed for hashing: the prefix of experiment dispatch inputs. */
  readonly experimentPrefix: Md5Prefix;
  readonly name: string | null;
  readonly variationType: string | null;
  readonly variations: readonly { readonly id: string; readonly value: string }[];
  readonly isEnabled: boolean;
  readonly isArchived: boolean;
  readonly exptIncludeAllTargets: boolean;
  /** What a disabled flag gives (or the error when its disabled variation does not exist). */
  readonly offResult: FeatBitEvaluation;
  /** Target results by user key; the first target entry listing a key wins. */
  readonly targets: ReadonlyMap<string, FeatBitEvaluation>;
  readonly rules: readonly ParsedFeatBitRule[];
  /** `null` when the flag has no fallthrough (users reaching it get an error). */
  readonly fallthrough: ParsedFeatBitRollout | null;
}

export interface ParsedFeatBitSegment {
  readonly [PARSED]: 'featbit-segment';
  readonly id: string;
  readonly name: string | null;
  readonly isArchived: boolean;
  readonly included: ReadonlySet<string>;
  readonly excluded: ReadonlySet<string>;
  /** Each rule's conditions: a rule matches when all of its conditions hold. */
  readonly rules: readonly (readonly ParsedFeatBitCondition[])[];
}

/** Segments by id, as flag conditions name them. */
export type FeatBitSegments = ReadonlyMap<string, ParsedFeatBitSegment>;

export interface ParsedFeatBitUser {
  readonly [PARSED]: 'featbit-user';
  readonly key: string;
  /** `""` when the user has no name. */
  readonly name: string;
  /** Custom attributes by name; the first property of a name wins. */
  readonly properties: ReadonlyMap<string, string>;
}
