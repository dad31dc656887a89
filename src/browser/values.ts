import type { BrowserFlag, FlagValue } from 'flagwire/server';

/** `typeof`, with objects, arrays and null as one JSON family: the families a default can ask for. */
function familyOf(value: FlagValue): string {
  const type = typeof value;
  return type === 'boolean' || type === 'string' || type === 'number' ? type : 'json';
}

/**
 * The server's `hasTypeOf`, restated here so the browser bundle carries no server code: whether `value`
 * can be served where `defaultValue`'s type is expected.
 */
export function sameFamily(value: FlagValue, defaultValue: FlagValue): boolean {
  return familyOf(value) === familyOf(defaultValue);
}

/**
 * A flag read without a default. Flags the page was not sent read as `false`: the payload cannot say
 * whether a missing flag has variations, and `false` is what on/off flags have always read as.
 */
export function valueOrFalse(flag: BrowserFlag | undefined): FlagValue {
  return flag === undefined ? false : flag.value;
}

/** A flag read with a default: its value when it has the default's type, else the default. */
export function valueOrDefault(flag: BrowserFlag | undefined, defaultValue: FlagValue): FlagValue {
  return flag !== undefined && sameFamily(flag.value, defaultValue) ? flag.value : defaultValue;
}
