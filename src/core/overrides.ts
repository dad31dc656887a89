import { unevaluated } from './default-result';
import type { FlagDefinition } from './definitions';
import { REASON_OVERRIDDEN } from './reasons';
import type { FlagResults } from './results';
import type { CheckFlagResult } from './types';
import { booleanVariation, type FlagValue, hasTypeOf, isFlagValue, type VariationDetail } from './values';

/**
 * Values a person chose for some flags in their own browser (Flags Explorer, flagwire's toolbar), by key. They
 * replace what the rules serve, for that browser's requests only, and every result says so (kind `override`).
 */
export type FlagOverrides = Readonly<Record<string, FlagValue>>;

export const NO_OVERRIDES: FlagOverrides = Object.freeze(Object.create(null) as Record<string, FlagValue>);

/**
 * Overrides from an untrusted place (a decrypted cookie, a request body): the own keys whose values are flag
 * values; anything else, or a value that is not an object, gives none. Prototype keys are plain keys here.
 */
export function overridesFrom(value: unknown): FlagOverrides {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return NO_OVERRIDES;
  const kept: Record<string, FlagValue> = Object.create(null);
  let any = false;
  for (const [key, given] of Object.entries(value)) {
    if (key === '' || !isFlagValue(given)) continue;
    kept[key] = given;
    any = true;
  }
  return any ? Object.freeze(kept) : NO_OVERRIDES;
}

/** The overrides of known flags whose values have the type of the flag's variations. */
export function overridesFitting(overrides: FlagOverrides, definitionOf: (key: string) => FlagDefinition | undefined): FlagOverrides {
  const kept: Record<string, FlagValue> = Object.create(null);
  let any = false;
  for (const [key, value] of Object.entries(overrides)) {
    const definition = definitionOf(key);
    if (!definition || !definition.variations.some((variation) => hasTypeOf(variation.value, value))) continue;
    kept[key] = value;
    any = true;
  }
  return any ? Object.freeze(kept) : NO_OVERRIDES;
}

export function hasOverrides(overrides: FlagOverrides): boolean {
  for (const key in overrides) if (Object.hasOwn(overrides, key)) return true;
  return false;
}

/** Whether two flag values are the same JSON (objects compared by members, in any order). */
export function sameValue(a: FlagValue, b: FlagValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as readonly FlagValue[];
    return a.length === other.length && a.every((item, i) => sameValue(item, other[i] as FlagValue));
  }
  const left = a as Readonly<Record<string, FlagValue>>;
  const right = b as Readonly<Record<string, FlagValue>>;
  const names = Object.keys(left);
  return names.length === Object.keys(right).length && names.every((name) => Object.hasOwn(right, name) && sameValue(left[name] as FlagValue, right[name] as FlagValue));
}

/** The name of the flag's variation that serves `value`: from its definition, else `"true"`/`"false"` for a boolean. */
export function variationServing(definition: FlagDefinition | undefined, value: FlagValue): string | null {
  const named = definition?.variations.find((variation) => sameValue(variation.value, value));
  if (named) return named.name;
  return typeof value === 'boolean' ? booleanVariation(value) : null;
}

/**
 * Results with the overridden flags' values replaced. Flags not overridden read exactly as before; an
 * overridden one reports kind `override` and no rule, keeping the company and user it was evaluated for.
 */
export class OverriddenResults implements FlagResults {
  readonly clientKeys: ReadonlySet<string>;
  readonly missingReason: string;

  constructor(
    private readonly source: FlagResults,
    private readonly overrides: FlagOverrides,
    private readonly definitionOf: (key: string) => FlagDefinition | undefined,
  ) {
    this.clientKeys = source.clientKeys;
    this.missingReason = source.missingReason;
  }

  keys(): readonly string[] {
    const keys = new Set(this.source.keys());
    for (const key of Object.keys(this.overrides)) keys.add(key);
    return [...keys];
  }

  result(key: string): CheckFlagResult | undefined {
    if (!Object.hasOwn(this.overrides, key)) return this.source.result(key);
    const evaluated = this.source.result(key);
    const overridden = unevaluated(key, this.overrides[key] === true, REASON_OVERRIDDEN, null, evaluated?.flagId ?? null);
    return { ...overridden, companyId: evaluated?.companyId ?? null, userId: evaluated?.userId ?? null };
  }

  value(key: string): boolean | undefined {
    if (Object.hasOwn(this.overrides, key)) return this.overrides[key] === true;
    return this.source.value ? this.source.value(key) : this.source.result(key)?.value;
  }

  variant(key: string): VariationDetail | undefined {
    if (!Object.hasOwn(this.overrides, key)) return this.source.variant?.(key);
    const value = this.overrides[key] as FlagValue;
    const variation = variationServing(this.definitionOf(key), value);
    return { flagKey: key, value, variation, kind: 'override', reason: REASON_OVERRIDDEN, ruleId: null, bucket: null, err: null };
  }

  browserFlag(key: string) {
    // An overridden flag is written afresh from its override; the others as the payload carried them.
    return Object.hasOwn(this.overrides, key) ? undefined : this.source.browserFlag?.(key);
  }
}
