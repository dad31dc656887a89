import type { FlagValue, ReasonKind, VariationDetail } from './values';
import { hasTypeOf } from './values';

const NOT_EVALUATED: ReadonlySet<ReasonKind> = new Set(['default', 'not_found', 'error']);

/**
 * What a typed read (`variation(key, defaultValue)`) answers: the evaluated variation when its value has the
 * default's type, else the caller's default, with the kind saying why (`wrong_type`, or why it was not evaluated).
 * @param found the flag as evaluated; `null` when the source does not know it (`missing` says what to report).
 */
export function chooseVariation(
  key: string,
  found: VariationDetail | null,
  defaultValue: FlagValue,
  missing: { readonly kind: ReasonKind; readonly reason: string },
): VariationDetail {
  if (found === null) return callerDefault(key, defaultValue, missing.kind, missing.reason, null);
  if (NOT_EVALUATED.has(found.kind)) return callerDefault(key, defaultValue, found.kind, found.reason, found.err);
  if (!hasTypeOf(found.value, defaultValue)) {
    return callerDefault(key, defaultValue, 'wrong_type', found.reason, `flag "${key}" serves ${describe(found.value)}, not ${describe(defaultValue)} like the default`);
  }
  return found;
}

/** The value `chooseVariation` answers with, alone: what typed reads that want no detail return. */
export function servedOrDefault(found: VariationDetail | null, defaultValue: FlagValue): FlagValue {
  return found !== null && !NOT_EVALUATED.has(found.kind) && hasTypeOf(found.value, defaultValue) ? found.value : defaultValue;
}

function callerDefault(flagKey: string, value: FlagValue, kind: ReasonKind, reason: string, err: string | null): VariationDetail {
  return { flagKey, value, variation: null, kind, reason, ruleId: null, bucket: null, err };
}

function describe(value: FlagValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}
