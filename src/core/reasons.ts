/** Reasons a check reports when it did not evaluate a rule set (Schematic's SDK uses the same texts). */
export const REASON_FLAG_DEFAULT = 'flag default';
export const REASON_FLAG_NOT_FOUND = 'Flag not found - using default value';
export const REASON_OFFLINE = 'Offline mode - using default value';
/**
 * The flag needed the context's key and the context has none: a rollout by `user.key` or `company.key` (flags
 * file), or any FeatBit flag (FeatBit evaluates a user, which has a key). Rather than put every keyless visitor in
 * one arm, the check serves the caller's default, with kind `error` and this reason.
 */
export const REASON_TARGETING_KEY_MISSING = 'Targeting key missing - using default value';
/** The check was answered from values evaluated earlier (`FlagsSnapshot.fromJSON`), not by a rule here. */
export const REASON_FROM_SNAPSHOT = 'Evaluated earlier - from a snapshot';

/** The value was chosen in this browser (Flags Explorer or flagwire's toolbar, through the overrides cookie). */
export const REASON_OVERRIDDEN = 'Overridden - from the flag overrides cookie';

/** The reason for a result whose flag, company or user could not be read: the flag's default value. */
export const INVALID_ENTITY_REASON = 'Invalid entity; default value for flag';
