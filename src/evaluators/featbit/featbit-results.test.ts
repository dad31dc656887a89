import { describe, expect, it } from 'vitest';
import { featBitFlag } from '../../../test/support/featbit-builders';
import type { EvaluationRequest } from '../../core/flag-set';
import { FeatBitFlagSet } from './featbit-flags';
import type { OnFeatBitRead } from './featbit-results';
import { parseFeatBitFlag } from './parse-flag';
import type { ParsedFeatBitFlag } from './parsed-types';

const everyone = (id: string) => ({ dispatchKey: null, includedInExpt: false, variations: [{ id, rollout: [0, 1] as [number, number], exptRollout: 0 }] });

/** `count` JSON flags `layout-0`…, each serving `{ columns: i }` to everyone. */
function layoutFlags(count: number): Map<string, ParsedFeatBitFlag> {
  const flags = new Map<string, ParsedFeatBitFlag>();
  for (let i = 0; i < count; i++) {
    const key = `layout-${i}`;
    flags.set(key, parseFeatBitFlag(featBitFlag({ id: key, key, variationType: 'json', variations: [{ id: 'v', value: JSON.stringify({ columns: i }) }], fallthrough: everyone('v') })));
  }
  return flags;
}

function request(key: string): EvaluationRequest {
  return { context: { user: { key } }, company: null, user: null, options: null, now: () => 0, clientFlags: new Set(), defaultValue: () => false };
}

describe('FeatBit results of one request', () => {
  // Up to 512 flags, a request keeps its reads by flag number; past that, by key: both ways are held to one behaviour.
  for (const count of [3, 600]) {
    it(`evaluates each flag once per request, hears of it once, and answers the same detail on every read (${count} flags)`, () => {
      const heard: string[] = [];
      const onRead: OnFeatBitRead = (flag) => heard.push(flag.key);
      const set = new FeatBitFlagSet({ flags: layoutFlags(count), segments: new Map(), flagText: () => '', segmentText: () => '', onRead: () => onRead });
      const last = `layout-${count - 1}`;
      const results = set.results(request('alice'));
      const first = results.variant?.(last);
      expect(first).toMatchObject({ value: { columns: count - 1 }, variation: 'v', kind: 'fallthrough' });
      expect(results.variant?.(last)).toBe(first);
      expect(results.variant?.('layout-0')).toMatchObject({ value: { columns: 0 } });
      expect(results.variant?.('missing')).toBeUndefined();
      expect(results.variant?.('missing')).toBeUndefined();
      expect(heard).toEqual([last, 'layout-0']);
      // Another request hears of its own reads, and is served the same typed value.
      const again = set.results(request('bob'));
      expect(again.variant?.(last)?.value).toEqual({ columns: count - 1 });
      expect(heard).toEqual([last, 'layout-0', last]);
    });
  }
});
