import { describe, expect, it } from 'vitest';
import type { VariationDetail } from './values';
import { chooseVariation, servedOrDefault } from './choose-variation';

const served = (value: VariationDetail['value'], kind: VariationDetail['kind'] = 'rule_match'): VariationDetail => ({
  flagKey: 'f',
  value,
  variation: 'v',
  kind,
  reason: 'Matched standard rule "r"',
  ruleId: 'r1',
  bucket: null,
  err: null,
});
const missing = { kind: 'not_found' as const, reason: 'Flag not found - using default value' };

describe('chooseVariation', () => {
  it('serves the evaluated variation when it has the default type', () => {
    expect(chooseVariation('f', served('bold'), 'control', missing)).toMatchObject({ value: 'bold', variation: 'v', kind: 'rule_match' });
    expect(chooseVariation('f', served({ columns: 2 }), {}, missing).value).toEqual({ columns: 2 });
    expect(chooseVariation('f', served([1, 2]), { a: 1 }, missing).value).toEqual([1, 2]);
    expect(chooseVariation('f', served(null), { a: 1 }, missing).value).toBe(null);
  });

  it('answers a value of another type with the default and kind wrong_type, saying both types', () => {
    const detail = chooseVariation('f', served('bold'), 3, missing);
    expect(detail).toMatchObject({ value: 3, variation: null, kind: 'wrong_type', ruleId: null });
    expect(detail.err).toBe('flag "f" serves a string, not a number like the default');
    expect(chooseVariation('f', served(true), 'x', missing)).toMatchObject({ value: 'x', kind: 'wrong_type' });
    expect(chooseVariation('f', served({ a: 1 }), false, missing).err).toContain('an object, not a boolean');
  });

  it('answers an unknown flag with the default and the missing kind and reason', () => {
    expect(chooseVariation('f', null, 'control', missing)).toEqual({
      flagKey: 'f', value: 'control', variation: null, kind: 'not_found', reason: missing.reason, ruleId: null, bucket: null, err: null,
    });
  });

  it('answers a flag that was not evaluated (default, error) with the caller default, keeping kind and error', () => {
    const errored = { ...served(false, 'error'), err: 'boom' };
    expect(chooseVariation('f', errored, 'control', missing)).toMatchObject({ value: 'control', kind: 'error', err: 'boom' });
    expect(chooseVariation('f', served(false, 'default'), 7, missing)).toMatchObject({ value: 7, kind: 'default' });
  });
});

describe('servedOrDefault', () => {
  it('answers the value chooseVariation answers, for every kind, type and default', () => {
    const values: VariationDetail['value'][] = ['bold', '', 3, 0, true, false, null, { a: 1 }, [1], []];
    const kinds: VariationDetail['kind'][] = ['rule_match', 'fallthrough', 'default', 'not_found', 'error', 'override'];
    let compared = 0;
    for (const value of values)
      for (const kind of kinds)
        for (const defaultValue of values) {
          expect(servedOrDefault(served(value, kind), defaultValue)).toEqual(chooseVariation('f', served(value, kind), defaultValue, missing).value);
          compared++;
        }
    for (const defaultValue of values) expect(servedOrDefault(null, defaultValue)).toEqual(chooseVariation('f', null, defaultValue, missing).value);
    expect(compared).toBe(values.length * kinds.length * values.length);
  });
});
