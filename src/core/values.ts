/**
 * Flag values beyond on/off: the value model every part of the kit shares. Schematic flags stay boolean;
 * flags-file and FeatBit flags may serve strings, numbers and JSON.
 */

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** What a flag serves: a boolean for an on/off flag, or any JSON value for a flag with variations. */
export type FlagValue = JsonValue;

/**
 * Why a flag gave its value, as one word a program can branch on (beside the reason text):
 * - `off`: the flag is disabled and serves its off variation;
 * - `target_match`: a rule naming this company or user (an override, a target list) matched;
 * - `rule_match`: a rule matched (its fixed variation, or its rollout's share for this bucket);
 * - `fallthrough`: no rule matched; the flag's default or fallthrough rollout applied;
 * - `cached`: read from values evaluated elsewhere (a browser payload), which do not carry why;
 * - `override`: chosen for this browser (Flags Explorer or flagwire's toolbar), not by the rules;
 * - `default`: the flag was not evaluated (not loaded yet, timed out, offline): the caller's default;
 * - `error`: evaluating failed; the caller's default;
 * - `wrong_type`: the flag's value is not of the type the caller asked for; the caller's default;
 * - `not_found`: no flag has this key; the caller's default.
 */
export type ReasonKind = 'off' | 'target_match' | 'rule_match' | 'fallthrough' | 'cached' | 'override' | 'default' | 'error' | 'wrong_type' | 'not_found';

/** One flag's outcome with its variation: what `variationDetail` returns and the browser payload carries. */
export interface VariationDetail<V extends FlagValue = FlagValue> {
  readonly flagKey: string;
  readonly value: V;
  /** The variation served (its name in the flags file, its id in FeatBit; `"true"`/`"false"` for on/off flags); `null` for a caller's default. */
  readonly variation: string | null;
  readonly kind: ReasonKind;
  /** The reason text: Schematic's for Schematic flags, flagwire's or FeatBit's otherwise. */
  readonly reason: string;
  /** The rule that decided, when one did. */
  readonly ruleId: string | null;
  /** For a rollout, the bucket in [0, 1] this context fell in (FeatBit's dispatch); `null` otherwise. */
  readonly bucket: number | null;
  /** What went wrong, for `error` and `wrong_type`; `null` otherwise. */
  readonly err: string | null;
}

/** The three type families a caller's default can ask for; JSON covers objects, arrays and null. */
type ValueFamily = 'boolean' | 'string' | 'number' | 'json';

function familyOf(value: unknown): ValueFamily {
  const type = typeof value;
  return type === 'boolean' || type === 'string' || type === 'number' ? type : 'json';
}

/** Whether `value` can be served where `defaultValue`'s type is expected (an object for an object, …). */
export function hasTypeOf(value: FlagValue, defaultValue: FlagValue): boolean {
  return familyOf(value) === familyOf(defaultValue);
}

/** Whether an unknown value is a flag value: JSON data with no functions, symbols, undefined or non-finite numbers. */
export function isFlagValue(value: unknown, depth = 0): value is FlagValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth > 64) return false;
  if (Array.isArray(value)) return value.every((item) => isFlagValue(item, depth + 1));
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  return Object.values(value).every((item) => isFlagValue(item, depth + 1));
}

/** The variation name of an on/off value, so boolean flags report a variation like any other. */
export function booleanVariation(value: boolean): string {
  return value ? 'true' : 'false';
}
