import { describe, expect, it } from 'vitest';
import { unevaluated } from './default-result';
import { NO_RULE_MATCHED } from '../evaluators/schematic/engine';
import { REASON_FLAG_DEFAULT, REASON_FLAG_NOT_FOUND, REASON_FROM_SNAPSHOT, REASON_OFFLINE } from './reasons';
import type { CheckFlagResult } from './types';
import { detailOfResult, kindOfResult } from './detail-of-result';

const base = (over: Partial<CheckFlagResult>): CheckFlagResult => ({ ...unevaluated('f', true, 'x', null), ...over });

describe('kindOfResult', () => {
  it('reads why a Schematic check gave its value', () => {
    expect(kindOfResult(base({ reason: REASON_FLAG_NOT_FOUND }))).toBe('not_found');
    expect(kindOfResult(base({ reason: REASON_FLAG_DEFAULT }))).toBe('default');
    expect(kindOfResult(base({ reason: REASON_OFFLINE }))).toBe('default');
    expect(kindOfResult(base({ reason: REASON_FROM_SNAPSHOT }))).toBe('cached');
    expect(kindOfResult(base({ reason: NO_RULE_MATCHED }))).toBe('fallthrough');
    expect(kindOfResult(base({ err: 'bad usage', reason: 'anything' }))).toBe('error');
    expect(kindOfResult(base({ ruleId: 'r', ruleType: 'standard' }))).toBe('rule_match');
    expect(kindOfResult(base({ ruleId: 'r', ruleType: 'plan_entitlement' }))).toBe('rule_match');
    expect(kindOfResult(base({ ruleId: 'r', ruleType: 'company_override' }))).toBe('target_match');
  });
});

describe('detailOfResult', () => {
  it('names an evaluated on/off value "true" or "false", and no variation for a default', () => {
    expect(detailOfResult(base({ ruleId: 'r', ruleType: 'standard', value: false }))).toMatchObject({ value: false, variation: 'false', ruleId: 'r', bucket: null });
    expect(detailOfResult(base({ reason: REASON_FLAG_DEFAULT })).variation).toBeNull();
  });
});
