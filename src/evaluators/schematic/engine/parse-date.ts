/**
 * Date parsing for `date` traits, matching Schematic's engine exactly. It accepts, in this order:
 *  1. RFC 3339 (`2024-01-01T00:00:00.5Z`, `t`/`z` in lower case, `±HH:MM` offsets up to 23:59);
 *  2. `YYYY-MM-DDTHH:MM:SS[.mmm]±HH[:]MM` (offset without a colon, at most 3 fraction digits); where
 *     the offset is a day or more the offset is ignored;
 *  3. `YYYY-MM-DD HH:MM:SS ZONE`, where ZONE is any word and is ignored (the time reads as UTC).
 * In forms 2 and 3 fields may have 1 or 2 digits, be preceded by whitespace, and the year may carry a sign.
 * Date-only strings, RFC 2822, `Date.toString()` and epoch numbers do not parse.
 */

/** A point in time with nanosecond precision; `nanos` reaches past 1e9 only during a leap second. */
export interface Instant {
  readonly seconds: number;
  readonly nanos: number;
}

const SECONDS_PER_DAY = 86_400;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

export function parseDate(text: string): Instant | null {
  return parseRfc3339(text) ?? parseOffsetForm(text) ?? parseZoneNameForm(text);
}

export function compareInstants(a: Instant, b: Instant): number {
  return a.seconds !== b.seconds ? a.seconds - b.seconds : a.nanos - b.nanos;
}

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/** The year range a calendar date may have in Schematic's engine. */
const MAX_YEAR = 262_142;

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanos: number;
  offsetSeconds: number;
}

function toInstant(f: Fields): Instant | null {
  if (f.year > MAX_YEAR || f.year < -MAX_YEAR) return null;
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > daysInMonth(f.year, f.month)) return null;
  if (f.hour > 23 || f.minute > 59 || f.second > 60) return null;
  const leap = f.second === 60;
  const seconds =
    daysFromCivil(f.year, f.month, f.day) * SECONDS_PER_DAY +
    f.hour * 3600 +
    f.minute * 60 +
    (leap ? 59 : f.second) -
    f.offsetSeconds;
  return { seconds, nanos: leap ? f.nanos + 1_000_000_000 : f.nanos };
}

/** Nanoseconds from fraction digits: the first nine count, the rest are ignored. */
function fractionToNanos(digits: string): number {
  return Number(digits.slice(0, 9).padEnd(9, '0'));
}

/** RFC 3339 only: what subscription periods must be written in. */
export function parseRfc3339(text: string): Instant | null {
  const m = RFC3339.exec(text);
  if (!m) return null;
  let offsetSeconds = 0;
  if (!m[8]) {
    const offsetHours = Number(m[10]);
    const offsetMinutes = Number(m[11]);
    if (offsetHours > 23 || offsetMinutes > 59) return null;
    offsetSeconds = (m[9] === '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
  }
  return toInstant({
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6]),
    nanos: m[7] ? fractionToNanos(m[7]) : 0,
    offsetSeconds,
  });
}

/** A cursor over the text, with the field scanners the two formatted forms are made of. */
class Scanner {
  private index = 0;
  constructor(private readonly text: string) {}

  get done(): boolean {
    return this.index === this.text.length;
  }

  skipWhitespace(): void {
    while (this.index < this.text.length && isWhitespace(this.text.charCodeAt(this.index))) this.index++;
  }

  /** Skips a run of non-whitespace: a time-zone name, which the zone-name form ignores. */
  skipWord(): void {
    while (this.index < this.text.length && !isWhitespace(this.text.charCodeAt(this.index))) this.index++;
  }

  literal(char: string): boolean {
    if (this.text[this.index] !== char) return false;
    this.index++;
    return true;
  }

  /** Up to `maxDigits` digits, at least one; leading whitespace allowed. */
  number(maxDigits: number, skipWhitespace = true): number | null {
    if (skipWhitespace) this.skipWhitespace();
    const start = this.index;
    while (this.index < this.text.length && this.index - start < maxDigits && isDigit(this.text.charCodeAt(this.index))) {
      this.index++;
    }
    return this.index > start ? Number(this.text.slice(start, this.index)) : null;
  }

  /** Exactly `count` digits. */
  digits(count: number): string | null {
    const slice = this.text.slice(this.index, this.index + count);
    if (slice.length !== count) return null;
    for (let i = 0; i < count; i++) if (!isDigit(slice.charCodeAt(i))) return null;
    this.index += count;
    return slice;
  }

  /** A year: 1 to 4 digits, or any number of digits after an explicit sign. */
  year(): number | null {
    this.skipWhitespace();
    const sign = this.text[this.index];
    if (sign === '+' || sign === '-') {
      this.index++;
      const value = this.number(Number.POSITIVE_INFINITY, false);
      return value === null ? null : sign === '-' ? -value : value;
    }
    return this.number(4, false);
  }

  /** `±HH[:| ]MM` after optional whitespace: any hours, minutes below 60. */
  offset(): number | null {
    this.skipWhitespace();
    const sign = this.text[this.index];
    if (sign !== '+' && sign !== '-') return null;
    this.index++;
    const hours = this.digits(2);
    if (hours === null) return null;
    while (this.index < this.text.length && (this.text[this.index] === ':' || isWhitespace(this.text.charCodeAt(this.index)))) {
      this.index++;
    }
    const minutes = this.digits(2);
    if (minutes === null || Number(minutes) > 59) return null;
    return (sign === '-' ? -1 : 1) * (Number(hours) * 3600 + Number(minutes) * 60);
  }
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Unicode White_Space, as Rust's `char::is_whitespace` defines it. */
function isWhitespace(code: number): boolean {
  return (
    (code >= 9 && code <= 13) ||
    code === 32 ||
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

type DateTimeFields = Omit<Fields, 'nanos' | 'offsetSeconds'>;

function scanDateTime(scanner: Scanner, separator: 'T' | 'whitespace'): DateTimeFields | null {
  const year = scanner.year();
  if (year === null || !scanner.literal('-')) return null;
  const month = scanner.number(2);
  if (month === null || !scanner.literal('-')) return null;
  const day = scanner.number(2);
  if (day === null) return null;
  if (separator === 'T') {
    if (!scanner.literal('T')) return null;
  } else {
    scanner.skipWhitespace();
  }
  const hour = scanner.number(2);
  if (hour === null || !scanner.literal(':')) return null;
  const minute = scanner.number(2);
  if (minute === null || !scanner.literal(':')) return null;
  const second = scanner.number(2);
  if (second === null) return null;
  return { year, month, day, hour, minute, second };
}

function parseOffsetForm(text: string): Instant | null {
  const scanner = new Scanner(text);
  const fields = scanDateTime(scanner, 'T');
  if (fields === null) return null;
  let nanos = 0;
  if (scanner.literal('.')) {
    const millis = scanner.digits(3);
    if (millis === null) return null;
    nanos = Number(millis) * 1_000_000;
  }
  const offsetSeconds = scanner.offset();
  if (offsetSeconds === null || !scanner.done) return null;
  const inRange = Math.abs(offsetSeconds) < SECONDS_PER_DAY;
  return toInstant({ ...fields, nanos, offsetSeconds: inRange ? offsetSeconds : 0 });
}

function parseZoneNameForm(text: string): Instant | null {
  const scanner = new Scanner(text);
  const fields = scanDateTime(scanner, 'whitespace');
  if (fields === null) return null;
  scanner.skipWhitespace();
  scanner.skipWord();
  if (!scanner.done) return null;
  return toInstant({ ...fields, nanos: 0, offsetSeconds: 0 });
}
