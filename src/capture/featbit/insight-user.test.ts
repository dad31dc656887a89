import { describe, expect, it } from 'vitest';
import { featBitFlag, featBitRuleFlag } from '../../../test/support/featbit-builders';
import { IN_SEGMENT_PROPERTY, parseFeatBitFlag, parseFeatBitSegments, parseFeatBitUser } from '../../evaluators/featbit';
import { customPropertiesRead, evaluationInsightUser, metricInsightUser } from './insight-user';
import { insightUserJson } from './insight-json';

const WIDE = 'x'.repeat(16 * 1024);
const user = parseFeatBitUser({
  key: 'u-1',
  name: 'Ada',
  customizedProperties: [
    { name: 'plan', value: 'pro' },
    { name: 'country', value: 'uk' },
    { name: 'team', value: 'core' },
    { name: 'blob', value: WIDE },
  ],
});
const segments = parseFeatBitSegments([
  { id: 'seg-teams', included: [], excluded: [], rules: [{ conditions: [{ property: 'team', op: 'Equal', value: 'core' }] }] },
]);
const NO_SEGMENTS = parseFeatBitSegments([]);

describe('insight users', () => {
  it('reads the properties of rule conditions, rollout dispatch keys and the segments a flag names, but not keyId or name', () => {
    const flag = parseFeatBitFlag(
      featBitRuleFlag(
        [
          { property: 'plan', op: 'Equal', value: 'pro' },
          { property: 'name', op: 'Equal', value: 'Ada' },
          { property: IN_SEGMENT_PROPERTY, op: null, value: JSON.stringify(['seg-teams']) },
        ],
        { fallthrough: { dispatchKey: 'country', includedInExpt: false, variations: [{ id: 'off', rollout: [0, 1], exptRollout: 0 }] } },
      ),
    );
    expect([...customPropertiesRead(flag, segments)].sort()).toEqual(['country', 'plan', 'team']);
    expect(customPropertiesRead(parseFeatBitFlag(featBitRuleFlag([{ property: 'keyId', op: 'Equal', value: 'u-1' }])), NO_SEGMENTS)).toEqual([]);
  });

  it('sends key, name and only the properties the flag reads that the user has: a 16 KB attribute no flag reads stays behind', () => {
    const flag = parseFeatBitFlag(featBitRuleFlag([{ property: 'plan', op: 'Equal', value: 'pro' }, { property: 'missing', op: 'Equal', value: 'x' }]));
    const json = insightUserJson(evaluationInsightUser(user, flag, NO_SEGMENTS));
    expect(JSON.parse(json)).toEqual({ keyId: 'u-1', name: 'Ada', customizedProperties: [{ name: 'plan', value: 'pro' }] });
    expect(json.length).toBeLessThan(100);
    expect(JSON.parse(insightUserJson(evaluationInsightUser(user, parseFeatBitFlag(featBitFlag()), NO_SEGMENTS)))).toEqual({ keyId: 'u-1', name: 'Ada', customizedProperties: [] });
  });

  it('keeps a large attribute when a flag does read it, and reads a segment as it is now', () => {
    const flag = parseFeatBitFlag(featBitRuleFlag([{ property: IN_SEGMENT_PROPERTY, op: null, value: JSON.stringify(['seg-teams']) }]));
    expect(evaluationInsightUser(user, flag, segments).properties).toEqual(new Map([['team', 'core']]));
    const changed = parseFeatBitSegments([{ id: 'seg-teams', included: [], excluded: [], rules: [{ conditions: [{ property: 'blob', op: 'Contains', value: 'x' }] }] }]);
    expect(evaluationInsightUser(user, flag, changed).properties).toEqual(new Map([['blob', WIDE]]));
  });

  it('sends a metric with key and name only', () => {
    expect(JSON.parse(insightUserJson(metricInsightUser(user)))).toEqual({ keyId: 'u-1', name: 'Ada', customizedProperties: [] });
  });
});
