import { describe, expect, it } from 'vitest';
import { type Divergence, divergencesOf } from '../support/featbit-divergences';
import { type FeatBitCase, FeatBitGenerator, SEGMENT_IN, SEGMENT_NOT_IN } from '../support/featbit-generator';
import { type FeatBitMismatch, featBitMismatch } from '../support/featbit-oracle';
import { Random } from '../support/random';
import { shrink } from '../support/shrink';
import { evaluateFeatBitFlag, FEATBIT_OPERATORS } from '../../src/evaluators/featbit';

/**
 * flagwire's FeatBit evaluator against FeatBit's Node SDK (offline, JSON bootstrap) on generated flags,
 * segments and users. Cases that run into a divergence the fact sheet lists are set aside (and counted); on
 * every other case both must agree on the reason kind, value, variation id, reason text and sendToExperiment.
 * `FLAGWIRE_DIFF_CASES` sets how many cases are compared and `FLAGWIRE_DIFF_SEED` the first seed; a failure
 * prints each case's seed and its shrunk form.
 */
const CASES = Number(process.env.FLAGWIRE_DIFF_CASES ?? 20_000);
const SEED = Number(process.env.FLAGWIRE_DIFF_SEED ?? 20261201);
// Cases are generated until CASES of them are comparable; no more than this many in all.
const MAX_GENERATED = CASES * 4;
const MAX_REPORTED = 3;

export function generateFeatBitCase(seed: number): FeatBitCase {
  return new FeatBitGenerator(new Random(seed)).case();
}

function signature(mismatch: FeatBitMismatch): string {
  return `${mismatch.fields.join(',')}|${mismatch.sdk.threw === null ? 'answered' : 'threw'}`;
}

/** Tallies what the compared cases exercised, to prove the generator reaches every construct. */
function record(counts: Map<string, number>, testCase: FeatBitCase, mismatchFree: { kind: string; sendToExperiment: boolean }): void {
  const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const { flag } = testCase;
  bump(`kind:${mismatchFree.kind}`);
  if (mismatchFree.sendToExperiment) bump('sendToExperiment');
  if (flag.exptIncludeAllTargets) bump('exptIncludeAllTargets');
  if (!flag.isEnabled) bump('disabled');
  if (flag.targetUsers.some((t) => t.keyIds.includes(testCase.user.key ?? ''))) bump('targeted user');
  for (const rule of flag.rules) {
    if (rule.variations.length > 1) bump('split rollout');
    for (const c of rule.conditions) bump(c.property === SEGMENT_IN || c.property === SEGMENT_NOT_IN ? `segment:${c.property}` : `op:${c.op}`);
  }
  for (const segment of testCase.segments) if (segment.rules.length > 0) bump('segment rules');
}

describe('FeatBit evaluator parity with FeatBit Node SDK', () => {
  const counts = new Map<string, number>();
  const skipped = new Map<Divergence, number>();
  let compared = 0;

  it(`agrees on ${CASES} generated cases where the SDK follows the spec (seed ${SEED})`, () => {
    const found: unknown[] = [];
    for (let index = 0; index < MAX_GENERATED && compared < CASES && found.length < MAX_REPORTED; index++) {
      const seed = SEED + index;
      const testCase = generateFeatBitCase(seed);
      const divergences = divergencesOf(testCase);
      if (divergences.size > 0) {
        for (const d of divergences) skipped.set(d, (skipped.get(d) ?? 0) + 1);
        continue;
      }
      compared++;
      const mismatch = featBitMismatch(testCase);
      if (mismatch === null) {
        record(counts, testCase, evaluateFeatBitFlag(testCase.flag, testCase.user, testCase.segments));
        continue;
      }
      const wanted = signature(mismatch);
      const stillFails = (candidate: FeatBitCase) => {
        try {
          if (divergencesOf(candidate).size > 0) return false;
          const again = featBitMismatch(candidate);
          return again !== null && signature(again) === wanted;
        } catch {
          // A candidate too broken to classify (no flag, no rules list…) is not the failure being shrunk.
          return false;
        }
      };
      const minimal = shrink(testCase, stillFails);
      const result = featBitMismatch(minimal) ?? mismatch;
      found.push({ seed, differingFields: result.fields, case: minimal, sdk: result.sdk, flagwire: result.flagwire });
    }
    expect(found, JSON.stringify(found, null, 2)).toEqual([]);
    expect(compared, `set aside: ${JSON.stringify(Object.fromEntries(skipped))}`).toBe(CASES);
  }, 120_000 + CASES * 2);

  it('compares every operator, segment test, reason kind, split rollouts, experiments and disabled flags', () => {
    const minimum = Math.max(1, Math.floor(CASES / 2000));
    const expected = [
      ...FEATBIT_OPERATORS.map((op) => `op:${op}`),
      `segment:${SEGMENT_IN}`,
      `segment:${SEGMENT_NOT_IN}`,
      'segment rules',
      'kind:off',
      'kind:target_match',
      'kind:rule_match',
      'kind:fallthrough',
      'kind:error',
      'sendToExperiment',
      'exptIncludeAllTargets',
      'disabled',
      'targeted user',
      'split rollout',
    ];
    const missing = expected.filter((key) => (counts.get(key) ?? 0) < minimum);
    expect(missing, JSON.stringify(Object.fromEntries(counts), null, 1)).toEqual([]);
  });

  it('runs into every divergence the fact sheet lists, so the set-aside cases are the ones it means', () => {
    const all: Divergence[] = ['missing attribute', 'user without name', 'regex operands', 'numbers', 'dispatch attribute missing', 'archived flag', 'archived segment', 'missing segment', 'bad list', 'bad segment list'];
    expect(all.filter((d) => !skipped.has(d)), JSON.stringify(Object.fromEntries(skipped))).toEqual([]);
  });
});
