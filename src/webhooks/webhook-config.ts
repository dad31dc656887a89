import { FlagwireConfigError } from '../core/errors';

function describe(value: unknown): string {
  if (typeof value === 'string') return value === '' ? 'an empty string' : 'a blank string';
  if (Array.isArray(value)) return 'an empty list';
  return value === null ? 'null' : typeof value;
}

const SECRET_HINT = 'expected the endpoint’s signing secret (a non-empty string, or a list of them while rotating)';

/** The signing secrets as a list; a missing, empty, blank or non-string secret (also inside a list) is a config error. */
export function checkSecrets(secret: unknown): readonly string[] {
  const list: readonly unknown[] | null = typeof secret === 'string' ? [secret] : Array.isArray(secret) ? secret : null;
  if (list === null || list.length === 0) throw new FlagwireConfigError('secret', `${SECRET_HINT}; got ${describe(secret)}`);
  list.forEach((s, i) => {
    if (typeof s !== 'string' || s.trim() === '') {
      throw new FlagwireConfigError(typeof secret === 'string' ? 'secret' : `secret[${i}]`, `${SECRET_HINT}; got ${describe(s)}`);
    }
  });
  return list as readonly string[];
}

/** The tolerance in seconds, `0` when the check is off; `NaN`, negative or infinite values are config errors. */
export function checkTolerance(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === false) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new FlagwireConfigError('toleranceSeconds', `expected a finite number of seconds ≥ 0 (0 or false turns the check off); got ${String(value)}`);
  }
  return value;
}

/** A positive whole number option (a byte limit, a deadline), or its default when not given. */
export function checkPositiveInteger(field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new FlagwireConfigError(field, `expected a positive whole number; got ${String(value)}`);
  }
  return value;
}
