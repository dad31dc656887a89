import { describe, expect, it } from 'vitest';
import { featBitFlag, featBitRuleFlag } from '../../../test/support/featbit-builders';
import { evaluateParsedFeatBitFlag, parseFeatBitFlag, parseFeatBitSegments, parseFeatBitUser } from '../../evaluators/featbit';
import type { FeatBitInsights } from './insights';
import { RequestInsights } from './request-insights';

/** What RequestInsights hands its FeatBitInsights: items (user JSON and entries) and refusals. */
function recordingInsights() {
  const items: { user: unknown; variations: { featureFlagKey: string; timestamp: number }[] }[] = [];
  const refused: unknown[] = [];
  const insights = {
    evaluations: (user: string, entries: readonly string[]) => items.push({ user: JSON.parse(user), variations: entries.map((entry) => JSON.parse(entry)) }),
    refuse: (error: unknown) => refused.push(error),
  } as unknown as FeatBitInsights;
  return { insights, items, refused };
}

const segments = parseFeatBitSegments([]);
const user = parseFeatBitUser({ key: 'u-1', name: 'Ada', customizedProperties: [{ name: 'team', value: 'core' }, { name: 'plan', value: 'pro' }, { name: 'blob', value: 'x'.repeat(1000) }] });
const checkout = parseFeatBitFlag(featBitFlag({ key: 'checkout' }));
const gated = parseFeatBitFlag(featBitRuleFlag([{ property: 'plan', op: 'Equal', value: 'pro' }], { key: 'gated' }));

describe('RequestInsights', () => {
  it('sends the reads of one turn as one item, stamped with the first read\'s time, its user trimmed to what they read', async () => {
    const { insights, items, refused } = recordingInsights();
    let now = 1_700_000_000_000;
    const requests = new RequestInsights(insights, () => now++);
    const read = requests.open(user, segments);
    read(checkout, evaluateParsedFeatBitFlag(checkout, user, segments));
    read(gated, evaluateParsedFeatBitFlag(gated, user, segments));
    await new Promise((resolve) => setImmediate(resolve));
    expect(items).toEqual([
      {
        user: { keyId: 'u-1', name: 'Ada', customizedProperties: [{ name: 'plan', value: 'pro' }] },
        variations: [
          { featureFlagKey: 'checkout', variation: { id: 'off', value: 'false' }, timestamp: 1_700_000_000_000, sendToExperiment: false },
          { featureFlagKey: 'gated', variation: { id: 'on', value: 'true' }, timestamp: 1_700_000_000_000, sendToExperiment: false },
        ],
      },
    ]);
    // A read after the item went out starts another.
    read(checkout, evaluateParsedFeatBitFlag(checkout, user, segments));
    requests.flush();
    expect(items.map((item) => item.variations.map((entry) => entry.featureFlagKey))).toEqual([['checkout', 'gated'], ['checkout']]);
    expect(refused).toEqual([]);
  });

  it('never throws into a read when the clock does: each of its entries is refused and counted instead', () => {
    const { insights, items, refused } = recordingInsights();
    const requests = new RequestInsights(insights, () => {
      throw new Error('no clock');
    });
    const read = requests.open(user, segments);
    expect(() => read(checkout, evaluateParsedFeatBitFlag(checkout, user, segments))).not.toThrow();
    expect(() => read(gated, evaluateParsedFeatBitFlag(gated, user, segments))).not.toThrow();
    requests.flush();
    expect(items).toEqual([]);
    expect(refused).toHaveLength(2);
  });
});
