import { ErrorCode, StandardResolutionReasons } from '@openfeature/core';
import { describe, expect, it } from 'vitest';
import type { ReasonKind, VariationDetail } from '../../src/server';
import { resolutionOf } from '../../src/openfeature/resolution';

const detail = (kind: ReasonKind, over: Partial<VariationDetail> = {}): VariationDetail => ({
  flagKey: 'flag',
  value: 'served',
  variation: 'blue',
  kind,
  reason: `reason for ${kind}`,
  ruleId: null,
  bucket: null,
  err: null,
  ...over,
});

describe('resolutionOf: a flagwire variation as OpenFeature resolution details', () => {
  it.each([
    ['rule_match', StandardResolutionReasons.TARGETING_MATCH],
    ['target_match', StandardResolutionReasons.TARGETING_MATCH],
    ['fallthrough', StandardResolutionReasons.DEFAULT],
    ['off', StandardResolutionReasons.DISABLED],
    ['cached', StandardResolutionReasons.CACHED],
  ] as const)('serves an evaluated %s value with reason %s, its variant and no error', (kind, reason) => {
    const resolution = resolutionOf(detail(kind));
    expect(resolution).toEqual({ value: 'served', variant: 'blue', reason, flagMetadata: { reason: `reason for ${kind}`, kind } });
  });

  it('reports a fallthrough rollout (a bucket was drawn) as SPLIT, with the bucket in the metadata', () => {
    const resolution = resolutionOf(detail('fallthrough', { bucket: 0.42 }));
    expect(resolution.reason).toBe(StandardResolutionReasons.SPLIT);
    expect(resolution.flagMetadata).toMatchObject({ bucket: 0.42 });
  });

  it('names the deciding rule in the metadata', () => {
    expect(resolutionOf(detail('rule_match', { ruleId: 'rule_7' })).flagMetadata).toEqual({ reason: 'reason for rule_match', kind: 'rule_match', ruleId: 'rule_7' });
  });

  it('reports an unknown flag as FLAG_NOT_FOUND with the caller default and no variant', () => {
    const resolution = resolutionOf(detail('not_found', { value: 'default', variation: null }));
    expect(resolution).toMatchObject({ value: 'default', reason: StandardResolutionReasons.ERROR, errorCode: ErrorCode.FLAG_NOT_FOUND });
    expect(resolution.variant).toBeUndefined();
    expect(resolution.errorMessage).toContain('flag');
  });

  it('reports a value of another type as TYPE_MISMATCH, with what flagwire said', () => {
    const resolution = resolutionOf(detail('wrong_type', { value: false, variation: null, err: 'flag "flag" serves a string, not a boolean' }));
    expect(resolution).toMatchObject({ value: false, reason: StandardResolutionReasons.ERROR, errorCode: ErrorCode.TYPE_MISMATCH, errorMessage: 'flag "flag" serves a string, not a boolean' });
  });

  it('reports a failed evaluation as GENERAL, or PARSE_ERROR when the flag or an entity could not be read', () => {
    expect(resolutionOf(detail('error', { err: 'boom' }))).toMatchObject({ errorCode: ErrorCode.GENERAL, errorMessage: 'boom', reason: StandardResolutionReasons.ERROR });
    expect(resolutionOf(detail('error', { err: 'bad rule' }), { parseError: true })).toMatchObject({ errorCode: ErrorCode.PARSE_ERROR, errorMessage: 'bad rule' });
  });

  it('reports an evaluation that needed a key the context lacks as TARGETING_KEY_MISSING', () => {
    const resolution = resolutionOf(detail('error', { value: 'fallback', variation: null, err: 'rolls out by user.key' }), { targetingKeyMissing: true });
    expect(resolution).toMatchObject({ value: 'fallback', errorCode: ErrorCode.TARGETING_KEY_MISSING, errorMessage: 'rolls out by user.key', reason: StandardResolutionReasons.ERROR });
  });

  it('reports a flag not evaluated by design (offline) as DEFAULT, without an error', () => {
    const resolution = resolutionOf(detail('default', { value: 'default', variation: null }), { unevaluated: 'by_design' });
    expect(resolution).toEqual({ value: 'default', reason: StandardResolutionReasons.DEFAULT, flagMetadata: { reason: 'reason for default', kind: 'default' } });
  });

  it('reports a flag not evaluated because the client was not ready as PROVIDER_NOT_READY, else (a timeout) as GENERAL', () => {
    expect(resolutionOf(detail('default'), { unevaluated: 'not_ready' })).toMatchObject({ reason: StandardResolutionReasons.ERROR, errorCode: ErrorCode.PROVIDER_NOT_READY });
    expect(resolutionOf(detail('default'))).toMatchObject({ reason: StandardResolutionReasons.ERROR, errorCode: ErrorCode.GENERAL, errorMessage: 'reason for default' });
  });
});
