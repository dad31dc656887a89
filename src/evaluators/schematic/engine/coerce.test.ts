import { describe, expect, it } from 'vitest';
import { coerce, compareCodePoints, compareTraitValues as compareCoerced, parseInteger, parseNumber } from './coerce';
import type { ComparableType } from './wire-types';

const compareTraitValues = (type: ComparableType, operator: string, left: string, right: string, addToLeft: number) =>
  compareCoerced(type, operator, coerce(left), coerce(right), addToLeft);

/** The coercions Schematic's engine applies before comparing trait values. */
describe('int traits', () => {
  it('read as floats, so fractions, exponents and a plus sign work', () => {
    expect(compareTraitValues('int', 'gt', '1.5', '1', 0)).toBe(true);
    expect(compareTraitValues('int', 'eq', '1e3', '1000', 0)).toBe(true);
    expect(compareTraitValues('int', 'eq', '+5', '5.', 0)).toBe(true);
  });

  it('read anything unparsable, padded or not finite as 0', () => {
    for (const text of ['abc', ' 5', '5 ', 'inf', 'NaN', '1e400', '0x10', '']) expect(parseNumber(text)).toBe(0);
  });

  it('are empty when zero and not empty when above zero', () => {
    expect(compareTraitValues('int', 'is_empty', 'abc', '', 0)).toBe(true);
    expect(compareTraitValues('int', 'not_empty', '-5', '', 0)).toBe(false);
  });

  it('with preflight usage, read the trait as a whole number first', () => {
    expect(compareTraitValues('int', 'eq', '2.5', '1', 1)).toBe(true);
    expect(compareTraitValues('int', 'eq', '3', '4', 1)).toBe(true);
  });

  it('report usage only from whole numbers within i64', () => {
    expect(parseInteger('007')).toBe(7);
    expect(parseInteger('-3')).toBe(-3);
    expect(parseInteger('1.0')).toBeNull();
    expect(parseInteger('9223372036854775808')).toBeNull();
  });
});

describe('bool traits', () => {
  it('read "true" and "1" as true, anything else as false, case-sensitively', () => {
    expect(compareTraitValues('bool', 'eq', '1', 'true', 0)).toBe(true);
    expect(compareTraitValues('bool', 'eq', 'TRUE', 'false', 0)).toBe(true);
  });

  it('are never empty, and never ordered', () => {
    expect(compareTraitValues('bool', 'is_empty', '', '', 0)).toBe(false);
    expect(compareTraitValues('bool', 'not_empty', '', '', 0)).toBe(true);
    expect(compareTraitValues('bool', 'gte', 'true', 'true', 0)).toBe(false);
  });
});

describe('date traits', () => {
  it('compare as instants, whatever the offset', () => {
    expect(compareTraitValues('date', 'eq', '2024-01-01T02:00:00+02:00', '2024-01-01T00:00:00Z', 0)).toBe(true);
    expect(compareTraitValues('date', 'gt', '2024-01-01T00:00:00.5Z', '2024-01-01T00:00:00Z', 0)).toBe(true);
  });

  it('treat an unparsable date as empty: equal to another empty, before any date', () => {
    expect(compareTraitValues('date', 'is_empty', '2024-01-01', '', 0)).toBe(true);
    expect(compareTraitValues('date', 'eq', 'soon', 'later', 0)).toBe(true);
    expect(compareTraitValues('date', 'lt', 'soon', '2024-01-01T00:00:00Z', 0)).toBe(true);
    expect(compareTraitValues('date', 'gt', '2024-01-01T00:00:00Z', 'soon', 0)).toBe(true);
  });
});

describe('string traits', () => {
  it('compare byte-wise (UTF-8), so case matters and astral characters sort last', () => {
    expect(compareTraitValues('string', 'lt', 'Pro', 'pro', 0)).toBe(true);
    expect(compareCodePoints('😀', '\uffff')).toBeGreaterThan(0);
    expect('😀' < '\uffff').toBe(true);
  });

  it('are empty only when ""', () => {
    expect(compareTraitValues('string', 'is_empty', '', '', 0)).toBe(true);
    expect(compareTraitValues('string', 'not_empty', ' ', '', 0)).toBe(true);
  });

  it('never match an unknown operator', () => {
    expect(compareTraitValues('string', 'contains', 'pro', 'pro', 0)).toBe(false);
  });
});
