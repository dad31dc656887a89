import { describe, expect, it } from 'vitest';
import { InvalidEntityError } from '../../core/errors';
import { parseFeatBitUser } from '../../evaluators/featbit/parse-user';
import { evaluationItemJson, insightBatchBody, insightBatchJson, insightUserJson, metricItemJson } from './insight-json';

const ADA = { keyId: 'u-1', name: 'Ada', customizedProperties: [{ name: 'plan', value: 'pro' }] };
const ADA_JSON = insightUserJson(ADA);

function refusal(make: () => unknown): InvalidEntityError {
  try {
    make();
  } catch (error) {
    if (error instanceof InvalidEntityError) return error;
    throw error;
  }
  throw new Error('expected an InvalidEntityError');
}

describe('insightUserJson', () => {
  it('sends keyId, name and customizedProperties, from either key spelling', () => {
    expect(JSON.parse(ADA_JSON)).toEqual(ADA);
    expect(JSON.parse(insightUserJson({ key: 'u-2' }))).toEqual({ keyId: 'u-2', name: '', customizedProperties: [] });
  });

  it('keeps the properties of a user already parsed for evaluation', () => {
    expect(JSON.parse(insightUserJson(parseFeatBitUser(ADA)))).toEqual(ADA);
  });

  it('refuses a user FeatBit would refuse: no key, a blank key, a property that is not text', () => {
    expect(refusal(() => insightUserJson({ name: 'nobody' })).entity).toBe('featbit user');
    expect(refusal(() => insightUserJson({ keyId: '  ' })).message).toMatch(/blank/);
    expect(refusal(() => insightUserJson({ keyId: 'u', customizedProperties: [{ name: 'n', value: 3 as unknown as string }] })).path).toMatch(/customizedProperties\[0\]/);
    expect(refusal(() => insightUserJson(null as unknown as { keyId: string })).entity).toBe('featbit user');
  });
});

describe('evaluationItemJson', () => {
  it('is one user with one variation entry, as the fact sheet gives it', () => {
    const item = JSON.parse(evaluationItemJson(ADA_JSON, 'checkout', { id: 'v-on', value: 'true' }, true, 1_700_000_000_123));
    expect(item).toEqual({
      user: ADA,
      variations: [{ featureFlagKey: 'checkout', variation: { id: 'v-on', value: 'true' }, timestamp: 1_700_000_000_123, sendToExperiment: true }],
    });
  });

  it('sends whole milliseconds, since one fraction would get the whole batch refused', () => {
    const item = JSON.parse(evaluationItemJson(ADA_JSON, 'f', { id: 'a', value: 'x' }, false, 12.9));
    expect(item.variations[0].timestamp).toBe(12);
  });

  it('refuses a missing flag key, a variation that is not { id, value } of strings, and a time that is not one', () => {
    expect(refusal(() => evaluationItemJson(ADA_JSON, '', { id: 'a', value: 'x' }, false, 1)).path).toBe('key');
    expect(refusal(() => evaluationItemJson(ADA_JSON, 'f', { id: 'a', value: true as unknown as string }, false, 1)).path).toBe('variation');
    expect(refusal(() => evaluationItemJson(ADA_JSON, 'f', null as unknown as { id: string; value: string }, false, 1)).path).toBe('variation');
    expect(refusal(() => evaluationItemJson(ADA_JSON, 'f', { id: 'a', value: 'x' }, 'yes' as unknown as boolean, 1)).path).toBe('sendToExperiment');
    expect(refusal(() => evaluationItemJson(ADA_JSON, 'f', { id: 'a', value: 'x' }, false, Number.NaN)).path).toBe('timestamp');
  });
});

describe('metricItemJson', () => {
  it('is one user with one CustomEvent metric, appType flagwire', () => {
    expect(JSON.parse(metricItemJson(ADA_JSON, 'purchase', 42.5, 1_700_000_000_000))).toEqual({
      user: ADA,
      metrics: [{ route: 'index/metric', type: 'CustomEvent', appType: 'flagwire', eventName: 'purchase', numericValue: 42.5, timestamp: 1_700_000_000_000 }],
    });
  });

  it('refuses a value that is not a finite number and a missing event name', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, '3' as unknown as number]) {
      expect(refusal(() => metricItemJson(ADA_JSON, 'purchase', bad, 1)).path).toBe('numericValue');
    }
    expect(refusal(() => metricItemJson(ADA_JSON, '', 1, 1)).path).toBe('eventName');
  });
});

describe('insightBatchJson', () => {
  it('joins finished items into one JSON array, mixed kinds in order', () => {
    const items = [evaluationItemJson(ADA_JSON, 'f', { id: 'a', value: 'x' }, false, 1), metricItemJson(ADA_JSON, 'm', 1, 2)];
    const batch = JSON.parse(insightBatchJson(items));
    expect(batch.map((item: object) => Object.keys(item))).toEqual([['user', 'variations'], ['user', 'metrics']]);
    expect(JSON.parse(insightBatchJson([]))).toEqual([]);
  });
});

describe('insightBatchBody', () => {
  const ZOE = { keyId: 'u-ß', name: 'Zoë 🚀', customizedProperties: [{ name: 'städt', value: '東京' }] };

  it('makes items of ASCII whatever the user, flag and event names, which read back as given', () => {
    const user = insightUserJson(ZOE);
    const items = [evaluationItemJson(user, 'flag-é', { id: 'v-ü', value: '✓' }, false, 1), metricItemJson(user, 'kauf-€', 2, 3)];
    for (const item of items) expect(item).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(items[0]!)).toEqual({ user: ZOE, variations: [{ featureFlagKey: 'flag-é', variation: { id: 'v-ü', value: '✓' }, timestamp: 1, sendToExperiment: false }] });
    expect(JSON.parse(items[1]!).metrics[0].eventName).toBe('kauf-€');
  });

  it('holds the bytes of the batch as UTF-8 JSON, for any number of items', () => {
    const user = insightUserJson(ZOE);
    const decode = (bytes: Uint8Array) => new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    for (const count of [0, 1, 2, 50]) {
      const items = Array.from({ length: count }, (_, i) => evaluationItemJson(i % 2 ? user : ADA_JSON, `f-${i}`, { id: `v-${i}`, value: 'x' }, i % 3 === 0, i));
      const body = insightBatchBody(items);
      expect(decode(body)).toBe(insightBatchJson(items));
      expect(JSON.parse(decode(body))).toHaveLength(count);
    }
  });
});
