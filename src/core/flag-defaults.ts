import type { FlagValue } from './values';

/**
 * Reads a flag's configured default. Own properties only: a flag named after an `Object.prototype` member
 * (`constructor`, `toString`, `__proto__`) must read as unset, not as the inherited function.
 */
export function configuredDefault(defaults: Readonly<Record<string, FlagValue>>, key: string): boolean {
  return Object.hasOwn(defaults, key) && defaults[key] === true;
}

/** A flag's configured default of any type; `false` when none is configured, as for on/off flags. */
export function configuredValue(defaults: Readonly<Record<string, FlagValue>>, key: string): FlagValue {
  return Object.hasOwn(defaults, key) ? (defaults[key] as FlagValue) : false;
}

/** Defines `record[key] = value` as an own data property, even for `__proto__` (which plain assignment treats as the prototype). */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}
