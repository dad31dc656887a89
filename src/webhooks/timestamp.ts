/**
 * Schematic does not document the unit of its timestamp header, so every plausible form is read: unix seconds,
 * unix milliseconds, or an RFC 3339 date-time. Digits are told apart by magnitude: below
 * `MILLISECONDS_FROM` they are seconds (up to the year 5138), from it on milliseconds (after March 1973), so no
 * plausible delivery time is ambiguous.
 */
export const MILLISECONDS_FROM = 100_000_000_000;

const DIGITS = /^\d{1,16}$/;
const RFC_3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function fromRfc3339(text: string): number | null {
  const match = RFC_3339.exec(text);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const [offsetHours, offsetMinutes] = [Number(match[10] ?? 0), Number(match[11] ?? 0)];
  // Date.parse is lenient (it reads February 30 as March 2), so each field is checked against its range.
  const valid =
    month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour <= 23 && minute <= 59 && second <= 60 && offsetHours <= 23 && offsetMinutes <= 59;
  if (!valid) return null;
  const fraction = Math.floor(Number(`0.${match[7] ?? '0'}`) * 1000);
  const offset = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  return Date.UTC(year, month - 1, day, hour, minute, second, fraction) - offset;
}

/** The delivery time a timestamp header names, in ms since the epoch; `null` when it is none of the accepted forms. */
export function parseTimestamp(header: string): number | null {
  if (DIGITS.test(header)) {
    const value = Number(header);
    return value < MILLISECONDS_FROM ? value * 1000 : value;
  }
  return fromRfc3339(header);
}
