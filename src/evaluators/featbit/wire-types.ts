/**
 * FeatBit's wire JSON for flags, segments and users, field for field as FeatBit's data-sync and polling
 * envelopes carry them (camelCase). Fields the evaluator does not read are listed for reference; unknown
 * fields are tolerated.
 */

/** The type a flag's variation values have; every value travels as a string (JSON text for `json`). */
export type FeatBitVariationType = 'boolean' | 'string' | 'number' | 'json';

/** One value a flag can take. */
export interface FeatBitVariation {
  id: string;
  /** Always a string: `"true"`, `"42"`, `"{\"a\":1}"`. */
  value: string;
}

/** Users (by key) pinned to one variation. */
export interface FeatBitTargetUser {
  keyIds: string[];
  variationId: string;
}

/**
 * One condition. `value` is always a string; list operators carry a JSON array inside it. Segment conditions
 * use the property `User is in segment` / `User is not in segment`, `op: null`, and a JSON array of segment ids.
 */
export interface FeatBitCondition {
  id?: string;
  property: string;
  op: string | null;
  value: string;
}

/** A share of a rollout: users whose bucket falls in `rollout` get variation `id`. */
export interface FeatBitRolloutVariation {
  /** A variation id. */
  id: string;
  /** `[start, end]` as fractions of 1. */
  rollout: [number, number];
  /** The fraction of all users in this share to send to the experiment. */
  exptRollout: number;
}

/** A targeting rule: every condition must hold; then its rollout decides the variation. */
export interface FeatBitRule {
  id: string;
  name: string;
  /** The user attribute to bucket by; `null`, empty or blank means the user key. */
  dispatchKey: string | null;
  includedInExpt: boolean;
  conditions: FeatBitCondition[];
  variations: FeatBitRolloutVariation[];
}

/** What users no target and no rule caught get. */
export interface FeatBitFallthrough {
  dispatchKey: string | null;
  includedInExpt: boolean;
  variations: FeatBitRolloutVariation[];
}

/** A FeatBit feature flag. */
export interface FeatBitFlag {
  id: string;
  /** The key the flag is evaluated by, and the prefix of every dispatch input. */
  key: string;
  name?: string;
  variationType?: FeatBitVariationType;
  variations: FeatBitVariation[];
  targetUsers: FeatBitTargetUser[];
  rules: FeatBitRule[];
  isEnabled: boolean;
  disabledVariationId: string;
  fallthrough: FeatBitFallthrough;
  exptIncludeAllTargets: boolean;
  isArchived?: boolean;
  /** ISO-8601; its Unix milliseconds are the flag's version. */
  updatedAt?: string;
  createdAt?: string;
  tags?: string[];
}

/** A rule of a segment: every condition must hold. */
export interface FeatBitSegmentRule {
  id?: string;
  name?: string;
  conditions: FeatBitCondition[];
}

/** A reusable group of users: listed keys, excluded keys, and rules. */
export interface FeatBitSegment {
  /** The id flag conditions name the segment by. */
  id: string;
  name?: string;
  included: string[];
  excluded: string[];
  rules: FeatBitSegmentRule[];
  isArchived?: boolean;
  updatedAt?: string;
}

/** One custom attribute of a user. */
export interface FeatBitCustomizedProperty {
  name: string;
  value: string;
}

/**
 * The user a flag is evaluated for, as FeatBit's server SDKs take it (`key`). `keyId`, the spelling of
 * FeatBit's insight events, is accepted in its place.
 */
export interface FeatBitUser {
  key?: string;
  keyId?: string;
  name?: string | null;
  customizedProperties?: FeatBitCustomizedProperty[] | null;
}
