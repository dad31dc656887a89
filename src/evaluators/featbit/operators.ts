import { compileLinearSearch } from './linear-regex';

/**
 * FeatBit's condition operators, compiled once per condition: the condition value is parsed (number, JSON
 * list, regular expression) at parse time and the returned test reads only the user's value. Comparisons are
 * case-sensitive and locale-free; the user value is the left operand, the condition value the right one.
 * A missing attribute never reaches these tests (every ordinary condition on it is false).
 */

/** A compiled operator: the test, or why the condition value cannot be used (evaluating it is an error). */
export interface CompiledOperator {
  readonly test: (userValue: string) => boolean;
  readonly problem: string | null;
}

/** Every operator FeatBit defines. Any other `op` never holds. */
export const FEATBIT_OPERATORS = [
  'LessThan',
  'LessEqualThan',
  'BiggerThan',
  'BiggerEqualThan',
  'Equal',
  'NotEqual',
  'Contains',
  'NotContain',
  'StartsWith',
  'EndsWith',
  'MatchRegex',
  'NotMatchRegex',
  'IsOneOf',
  'NotOneOf',
  'IsTrue',
  'IsFalse',
] as const;

export type FeatBitOperator = (typeof FEATBIT_OPERATORS)[number];

const isDigit = (code: number) => code >= 48 && code <= 57;

/**
 * Whether `text` is a whole-string decimal: an optional sign, digits with an optional point (or a point and
 * digits), an optional exponent. No blanks inside, hex, `_`, `Infinity` or `NaN`. A scanner rather than a regular
 * expression, as numeric conditions read it on every evaluation.
 */
function isDecimal(text: string): boolean {
  const n = text.length;
  let i = 0;
  let code = text.charCodeAt(0);
  if (code === 43 || code === 45) code = text.charCodeAt(++i);
  let digits = 0;
  while (i < n && isDigit(code)) {
    digits++;
    code = text.charCodeAt(++i);
  }
  if (code === 46) {
    code = text.charCodeAt(++i);
    while (i < n && isDigit(code)) {
      digits++;
      code = text.charCodeAt(++i);
    }
  }
  if (digits === 0) return false;
  if (code === 101 || code === 69) {
    code = text.charCodeAt(++i);
    if (code === 43 || code === 45) code = text.charCodeAt(++i);
    if (!(i < n && isDigit(code))) return false;
    while (i < n && isDigit(code)) code = text.charCodeAt(++i);
  }
  return i === n;
}

/**
 * A FeatBit number: the string, white space around it aside, as a finite decimal, else `NaN` (no partial
 * parses, no rounding). `" 30"` is 30, as FeatBit's Node (`parseFloat`), Python (`float`) and .NET
 * (`double.TryParse`) SDKs all read it; `"30abc"` and `"0x10"` are not numbers.
 */
export function parseFeatBitNumber(text: string): number {
  const trimmed = text.trim();
  if (!isDecimal(trimmed)) return Number.NaN;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : Number.NaN;
}

/** `true`/`false` in any ASCII case, without a locale's case mapping. */
function isWord(text: string, lower: string): boolean {
  if (text.length !== lower.length) return false;
  for (let i = 0; i < text.length; i++) {
    if ((text.charCodeAt(i) | 0x20) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

const never = (): boolean => false;
const ok = (test: (userValue: string) => boolean): CompiledOperator => ({ test, problem: null });
const broken = (problem: string): CompiledOperator => ({ test: never, problem });

function numeric(conditionValue: string, compare: (user: number, condition: number) => boolean): CompiledOperator {
  const right = parseFeatBitNumber(conditionValue);
  // A condition value that is not a number makes the condition false for everyone, not an error.
  if (Number.isNaN(right)) return ok(never);
  return ok((userValue) => {
    const left = parseFeatBitNumber(userValue);
    return !Number.isNaN(left) && compare(left, right);
  });
}

/** The JSON string array inside an `IsOneOf`/`NotOneOf` value, or why it is not one. */
export function parseStringList(conditionValue: string): ReadonlySet<string> | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(conditionValue);
  } catch {
    return `the list ${JSON.stringify(conditionValue)} is not JSON`;
  }
  if (!Array.isArray(parsed) || parsed.some((item) => typeof item !== 'string')) {
    return `the list ${JSON.stringify(conditionValue)} is not a JSON array of strings`;
  }
  return new Set(parsed as string[]);
}

function regex(conditionValue: string, wanted: boolean): CompiledOperator {
  // The condition value is the pattern, searched anywhere in the user value (not a full match).
  const compiled = compileLinearSearch(conditionValue);
  if ('problem' in compiled) return broken(compiled.problem);
  const { search } = compiled;
  return ok(wanted ? search : (userValue) => !search(userValue));
}

function list(conditionValue: string, wanted: boolean): CompiledOperator {
  const items = parseStringList(conditionValue);
  if (typeof items === 'string') return broken(items);
  return ok((userValue) => items.has(userValue) === wanted);
}

/** Compiles `op` with its condition value. */
export function compileOperator(op: string | null, conditionValue: string): CompiledOperator {
  switch (op) {
    case 'LessThan':
      return numeric(conditionValue, (a, b) => a < b);
    case 'LessEqualThan':
      return numeric(conditionValue, (a, b) => a <= b);
    case 'BiggerThan':
      return numeric(conditionValue, (a, b) => a > b);
    case 'BiggerEqualThan':
      return numeric(conditionValue, (a, b) => a >= b);
    case 'Equal':
      return ok((v) => v === conditionValue);
    case 'NotEqual':
      return ok((v) => v !== conditionValue);
    case 'Contains':
      return ok((v) => v.includes(conditionValue));
    case 'NotContain':
      return ok((v) => !v.includes(conditionValue));
    case 'StartsWith':
      return ok((v) => v.startsWith(conditionValue));
    case 'EndsWith':
      return ok((v) => v.endsWith(conditionValue));
    case 'MatchRegex':
      return regex(conditionValue, true);
    case 'NotMatchRegex':
      return regex(conditionValue, false);
    case 'IsOneOf':
      return list(conditionValue, true);
    case 'NotOneOf':
      return list(conditionValue, false);
    case 'IsTrue':
      return ok((v) => isWord(v, 'true'));
    case 'IsFalse':
      return ok((v) => isWord(v, 'false'));
    default:
      return ok(never);
  }
}
