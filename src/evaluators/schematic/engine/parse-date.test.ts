import { describe, expect, it } from 'vitest';
import { parseDate } from './parse-date';

const seconds = (iso: string) => Date.parse(iso) / 1000;

describe('date parsing', () => {
  it('reads RFC 3339, with fractions and offsets, in either case', () => {
    expect(parseDate('2024-01-01T02:00:00+02:00')).toEqual({ seconds: seconds('2024-01-01T00:00:00Z'), nanos: 0 });
    expect(parseDate('2024-01-01t00:00:00.25z')).toEqual({ seconds: seconds('2024-01-01T00:00:00Z'), nanos: 250_000_000 });
  });

  it('reads offsets without a colon, with at most three fraction digits', () => {
    expect(parseDate('2024-01-01T02:00:00+0200')?.seconds).toBe(seconds('2024-01-01T00:00:00Z'));
    expect(parseDate('2024-01-01T00:00:00.123+0000')?.nanos).toBe(123_000_000);
    expect(parseDate('2024-01-01T00:00:00.5+0000')).toBeNull();
  });

  it('ignores an offset of a day or more instead of failing', () => {
    expect(parseDate('2024-01-01T00:00:00+24:00')?.seconds).toBe(seconds('2024-01-01T00:00:00Z'));
  });

  it('reads "YYYY-MM-DD HH:MM:SS ZONE" as UTC, whatever the zone says', () => {
    expect(parseDate('2024-01-01 02:00:00 +0200')?.seconds).toBe(seconds('2024-01-01T02:00:00Z'));
    expect(parseDate('2024-01-01 00:00:00 EST')?.seconds).toBe(seconds('2024-01-01T00:00:00Z'));
    expect(parseDate('2024-01-01 00:00:00 UTC extra')).toBeNull();
  });

  it('does not read date-only strings, RFC 2822, Date.toString() or epoch seconds', () => {
    for (const text of ['2024-01-01', 'Mon, 01 Jan 2024 00:00:00 GMT', String(new Date(0)), '1704067200']) {
      expect(parseDate(text)).toBeNull();
    }
  });

  it('rejects impossible calendar dates and keeps leap seconds', () => {
    expect(parseDate('2023-02-29T00:00:00Z')).toBeNull();
    expect(parseDate('2024-12-31T23:59:60Z')).toEqual({ seconds: seconds('2024-12-31T23:59:59Z'), nanos: 1_000_000_000 });
  });
});
