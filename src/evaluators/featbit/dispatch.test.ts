import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { featBitFlag } from '../../../test/support/featbit-builders';
import { Random } from '../../../test/support/random';
import { bucketInShare, dispatchBucket, isInRollout, pickShare, rolloutShare } from './dispatch';
import { evaluateFeatBitFlag } from './evaluate-featbit-flag';
import { md5Int32LE } from './md5';
import type { FeatBitFlag, FeatBitRolloutVariation } from './wire-types';

// Dispatch vectors: FeatBit's official three (from its server SDK spec), then flagwire's own edge cases.
const VECTORS: readonly [input: string, n: number, bucket: number][] = [
  ['test-value', 314684291, 0.14653629204258323],
  ['qKPKh1S3FolC', 1955481364, 0.9105919692665339],
  ['3eacb184-2d79-49df-9ea7-edd4f10e4c6f', 193153337, 0.08994403155520558],
  ['新功能用户-42', 1946696292, 0.9065011013299227],
  ['checkout-v2zoë@example.org', -291919203, 0.13593547185882926],
  ['checkout-v2user-123', -1480986578, 0.6896381163969636],
  ['checkout-v2user-4029', -2147470301, 0.9999937848187983],
  ['checkout-v2', -1793588541, 0.8352047489024699],
];
const EDGE = 0.6896381163969636;

function rolloutFlag(shares: FeatBitRolloutVariation[], extra: Partial<FeatBitFlag> = {}): FeatBitFlag {
  return featBitFlag({
    variations: [
      { id: 'a', value: 'A' },
      { id: 'b', value: 'B' },
    ],
    disabledVariationId: 'a',
    fallthrough: { dispatchKey: null, includedInExpt: false, variations: shares },
    updatedAt: undefined,
    ...extra,
  });
}

describe('FeatBit dispatch', () => {
  it.each(VECTORS)('hashes %j to n = %i and bucket %d', (input, n, bucket) => {
    expect(md5Int32LE(input)).toBe(n);
    expect(dispatchBucket(input)).toBe(bucket);
    // Split anywhere into flag key and attribute, the input hashes the same.
    for (let cut = 0; cut <= input.length; cut++) expect(dispatchBucket(input.slice(0, cut), input.slice(cut))).toBe(bucket);
  });

  it('reads MD5 exactly as node:crypto does, for any length and for lone surrogates', () => {
    const random = new Random(5);
    const samples = ['', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'é'.repeat(300), '\ud800x', 'x\udc00', '😀', '\udbff'];
    for (let i = 0; i < 2000; i++) {
      samples.push(Array.from({ length: random.int(0, 140) }, () => String.fromCharCode(random.chance(0.7) ? random.int(32, 126) : random.int(0x80, 0xffff))).join(''));
    }
    for (const sample of samples) {
      const expected = createHash('md5').update(sample).digest().readInt32LE(0);
      expect(md5Int32LE(sample), JSON.stringify(sample)).toBe(expected);
      expect(md5Int32LE(sample.slice(0, 7), sample.slice(7)), JSON.stringify(sample)).toBe(expected);
    }
  });

  it('closes both ends of an interval, so the earlier share wins a shared edge', () => {
    expect(bucketInShare(EDGE, rolloutShare(0, EDGE))).toBe(true);
    expect(bucketInShare(EDGE, rolloutShare(EDGE, 1))).toBe(true);
    const shares = [rolloutShare(0, EDGE), rolloutShare(EDGE, 1)];
    expect(pickShare(shares, 'checkout-v2', 'user-123')).toBe(0);
    const flag = rolloutFlag([
      { id: 'a', rollout: [0, EDGE], exptRollout: 1 },
      { id: 'b', rollout: [EDGE, 1], exptRollout: 1 },
    ]);
    expect(evaluateFeatBitFlag(flag, { key: 'user-123' })).toMatchObject({ kind: 'fallthrough', variationId: 'a', value: 'A' });
    // Swapping the stored order gives the edge to the other share.
    const swapped = rolloutFlag([
      { id: 'b', rollout: [EDGE, 1], exptRollout: 1 },
      { id: 'a', rollout: [0, EDGE], exptRollout: 1 },
    ]);
    expect(evaluateFeatBitFlag(swapped, { key: 'user-123' }).variationId).toBe('b');
  });

  it('treats [0, end] with end within 0.00001 of 1 as everyone, even a bucket above end', () => {
    const bucket = dispatchBucket('checkout-v2user-4029');
    expect(bucket).toBeGreaterThan(0.99999);
    expect(isInRollout('checkout-v2user-4029', 0, 0.99999)).toBe(true);
    // Only a share starting at 0 takes the shortcut.
    expect(isInRollout('checkout-v2user-4029', 0.5, 0.99999)).toBe(false);
    expect(isInRollout('checkout-v2user-4029', 0, 0.9999)).toBe(false);
    const flag = rolloutFlag([
      { id: 'a', rollout: [0, 0.99999], exptRollout: 0 },
      { id: 'b', rollout: [0.99999, 1], exptRollout: 0 },
    ]);
    expect(evaluateFeatBitFlag(flag, { key: 'user-4029' }).variationId).toBe('a');
  });

  it('treats [0, 0] as no one, whatever the bucket', () => {
    expect(dispatchBucket('checkout-v2')).toBeGreaterThan(0);
    expect(isInRollout('checkout-v2', 0, 0)).toBe(false);
    // A zero-width share elsewhere holds exactly its bucket.
    expect(isInRollout('checkout-v2user-123', EDGE, EDGE)).toBe(true);
  });

  it('is an error when no share holds the bucket, and then tries no other rule', () => {
    const flag = rolloutFlag([{ id: 'a', rollout: [0, 0.5], exptRollout: 0 }]);
    expect(evaluateFeatBitFlag(flag, { key: 'user-123' })).toMatchObject({ kind: 'error', reason: 'malformed flag', value: null });
  });

  it('buckets by a custom dispatch attribute, and by flag key + "" when the user lacks it', () => {
    const shares: FeatBitRolloutVariation[] = [
      { id: 'a', rollout: [0, 0.8352047489024699], exptRollout: 0 },
      { id: 'b', rollout: [0.8352047489024699, 1], exptRollout: 0 },
    ];
    const flag = rolloutFlag(shares, { fallthrough: { dispatchKey: 'company', includedInExpt: false, variations: shares } });
    // 'checkout-v2' alone hashes to 0.8352047489024699: the shared edge, so the first share.
    expect(evaluateFeatBitFlag(flag, { key: 'anyone' }).variationId).toBe('a');
    expect(evaluateFeatBitFlag(flag, { key: 'anyone', customizedProperties: [{ name: 'company', value: 'user-4029' }] }).variationId).toBe('b');
    // A blank dispatch key means the user key.
    const blank = rolloutFlag(shares, { fallthrough: { dispatchKey: ' \t', includedInExpt: false, variations: shares } });
    expect(evaluateFeatBitFlag(blank, { key: 'user-4029' }).variationId).toBe('b');
  });

  it('samples the experiment on "expt" + dispatch input, at exptRollout / share width', () => {
    expect(dispatchBucket('exptcheckout-v2user-123')).toBe(0.7464693472720683);
    const at = (exptRollout: number) =>
      evaluateFeatBitFlag(
        rolloutFlag([{ id: 'a', rollout: [0, 1], exptRollout }], {
          fallthrough: { dispatchKey: null, includedInExpt: true, variations: [{ id: 'a', rollout: [0, 1], exptRollout }] },
        }),
        { key: 'user-123' },
      ).sendToExperiment;
    expect(at(0.74)).toBe(false);
    expect(at(0.75)).toBe(true);
    expect(at(0)).toBe(false);
    // Within a share of width 0.5, exptRollout 0.375 samples 75% of it.
    const half = rolloutFlag([], {
      fallthrough: {
        dispatchKey: null,
        includedInExpt: true,
        variations: [
          { id: 'a', rollout: [0, 0.5], exptRollout: 0.25 },
          { id: 'b', rollout: [0.5, 1], exptRollout: 0.375 },
        ],
      },
    });
    expect(evaluateFeatBitFlag(half, { key: 'user-123' })).toMatchObject({ variationId: 'b', sendToExperiment: true });
  });
});
