import { compareInstants, type Instant, parseDate } from './parse-date';
import type { ComparableType } from './wire-types';

/**
 * A trait value read every way a comparison may need it, once, when the entity or flag is parsed, so
 * evaluation never parses text.
 */
export interface CoercedValue {
  readonly text: string;
  readonly number: number;
  readonly integer: number | null;
  readonly date: Instant | null;
  readonly bool: boolean;
}

export function coerce(text: string): CoercedValue {
  return { text, number: parseNumber(text), integer: parseInteger(text), date: parseDate(text), bool: text === 'true' || text === '1' };
}

/**
 * Trait comparison with Schematic's engine's coercions: the comparable type decides how both sides are read.
 * - `int`: read as a float (`"1.5"`, `"1e3"`, `"+5"`, `".5"` all read); anything unparsable or not finite
 *   (`"inf"`, `"NaN"`, `"1e400"`, `" 5"`) reads as 0.
 * - `bool`: `"true"` and `"1"` are true, everything else false; only `eq`, `ne` and `not_empty` (always)
 *   can match.
 * - `date`: see `parse-date.ts`; an unparsable date reads as empty, and empties order before any date.
 * - `string`: compared byte-wise in UTF-8 (code point order).
 */
export function compareTraitValues(
  type: ComparableType,
  operator: string,
  left: CoercedValue,
  right: CoercedValue,
  addToLeft: number,
): boolean {
  switch (type) {
    case 'int': {
      // With preflight usage the trait is read as a whole number (anything else as 0) before adding.
      const leftNumber = addToLeft > 0 ? (left.integer ?? 0) + addToLeft : left.number;
      return compareNumbers(operator, leftNumber, right.number);
    }
    case 'bool':
      return compareBooleans(operator, left.bool, right.bool);
    case 'date':
      return compareDates(operator, left.date, right.date);
    default:
      return compareStrings(operator, left.text, right.text);
  }
}

const RUST_FLOAT = /^[+-]?(?:inf|infinity|nan|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/i;

/** A float read as Rust's `str::parse::<f64>` reads it, or `null` where that fails. */
export function parseRustFloat(text: string): number | null {
  if (!RUST_FLOAT.test(text)) return null;
  const unsigned = text.replace(/^[+-]/, '').toLowerCase();
  const negative = text.startsWith('-');
  if (unsigned === 'nan') return Number.NaN;
  if (unsigned === 'inf' || unsigned === 'infinity') return negative ? -Infinity : Infinity;
  return Number(text);
}

const I64_TEXT = /^[+-]?\d+$/;
const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/** An integer read as Rust's `str::parse::<i64>` reads it (digits with an optional sign), or `null`. */
export function parseInteger(text: string): number | null {
  if (!I64_TEXT.test(text)) return null;
  const value = BigInt(text);
  return value >= I64_MIN && value <= I64_MAX ? Number(value) : null;
}

/** An `int` trait's numeric value: a finite float, or 0 for anything else (including `inf` and `NaN`). */
export function parseNumber(text: string): number {
  const value = parseRustFloat(text);
  return value !== null && Number.isFinite(value) ? value : 0;
}

/** Numbers compare as numbers; "empty" means zero and "not empty" means above zero. */
export function compareNumbers(operator: string, left: number, right: number): boolean {
  switch (operator) {
    case 'eq':
      return left === right;
    case 'ne':
      return left !== right;
    case 'gt':
      return left > right;
    case 'lt':
      return left < right;
    case 'gte':
      return left >= right;
    case 'lte':
      return left <= right;
    case 'is_empty':
      return left === 0;
    case 'not_empty':
      return left > 0;
    default:
      return false;
  }
}

function compareBooleans(operator: string, left: boolean, right: boolean): boolean {
  switch (operator) {
    case 'eq':
      return left === right;
    case 'ne':
      return left !== right;
    case 'not_empty':
      return true;
    default:
      return false;
  }
}

function compareDates(operator: string, left: Instant | null, right: Instant | null): boolean {
  if (operator === 'is_empty') return left === null;
  if (operator === 'not_empty') return left !== null;
  // Unparsed dates are empty: two empties are equal, and an empty orders before any date.
  const order = left === null ? (right === null ? 0 : -1) : right === null ? 1 : Math.sign(compareInstants(left, right));
  return orderMatches(operator, order);
}

function orderMatches(operator: string, order: number): boolean {
  switch (operator) {
    case 'eq':
      return order === 0;
    case 'ne':
      return order !== 0;
    case 'gt':
      return order > 0;
    case 'lt':
      return order < 0;
    case 'gte':
      return order >= 0;
    case 'lte':
      return order <= 0;
    default:
      return false;
  }
}

/** UTF-8 byte order, which is code point order (JavaScript's `<` compares UTF-16 units instead). */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800–DFFF) encode code points above U+FFFF, which sort after every BMP character.
    const xHigh = x >= 0xd800 && x <= 0xdfff;
    const yHigh = y >= 0xd800 && y <= 0xdfff;
    if (xHigh !== yHigh) return xHigh ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

function compareStrings(operator: string, left: string, right: string): boolean {
  switch (operator) {
    case 'eq':
      return left === right;
    case 'ne':
      return left !== right;
    case 'is_empty':
      return left === '';
    case 'not_empty':
      return left !== '';
    default:
      return orderMatches(operator, Math.sign(compareCodePoints(left, right)));
  }
}
