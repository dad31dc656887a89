import { describe, expect, it } from 'vitest';
import { featBitValue } from './featbit-value';

describe('featBitValue: a FeatBit variation as its flag type', () => {
  it('reads booleans, numbers, JSON and strings by variationType', () => {
    expect(featBitValue('boolean', 'true')).toBe(true);
    expect(featBitValue('boolean', 'false')).toBe(false);
    expect(featBitValue('number', '2.5')).toBe(2.5);
    expect(featBitValue('json', '{"columns":2}')).toEqual({ columns: 2 });
    expect(featBitValue('string', 'true')).toBe('true');
    expect(featBitValue(null, 'plain')).toBe('plain');
  });

  it('is undefined for text that is not of the type', () => {
    expect(featBitValue('boolean', 'yes')).toBeUndefined();
    expect(featBitValue('number', '')).toBeUndefined();
    expect(featBitValue('number', 'Infinity')).toBeUndefined();
    expect(featBitValue('number', '30abc')).toBeUndefined();
    expect(featBitValue('json', '{bad')).toBeUndefined();
  });
});
