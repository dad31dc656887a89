/** Reasons a check reports when it did not evaluate a rule set (Schematic's SDK uses the same texts). */
export const REASON_FLAG_DEFAULT = 'flag default';
export const REASON_FLAG_NOT_FOUND = 'Flag not found - using default value';
export const REASON_OFFLINE = 'Offline mode - using default value';
/** The check was answered from values evaluated earlier (`FlagsSnapshot.fromJSON`), not by a rule here. */
export const REASON_FROM_SNAPSHOT = 'Evaluated earlier - from a snapshot';
