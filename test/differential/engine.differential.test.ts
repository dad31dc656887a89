import { describe, expect, it } from 'vitest';
import { type Disagreement, disagreement } from '../support/compare-results';
import { maybeCamelCase, mutate } from '../support/mutate';
import { Random } from '../support/random';
import { shrink } from '../support/shrink';
import { type GeneratedCase, WireGenerator } from '../support/wire-generator';

/**
 * flagwire's engine against Schematic's WASM engine on generated wire entities. Every case must agree on
 * every result field, and on whether the input is acceptable at all. `FLAGWIRE_DIFF_CASES` and
 * `FLAGWIRE_DIFF_SEED` change the run's size and seed; a failure prints the seed and the shrunk case.
 */
const CASES = Number(process.env.FLAGWIRE_DIFF_CASES ?? 25_000);
const SEED = Number(process.env.FLAGWIRE_DIFF_SEED ?? 20261123);
const MUTATION_RATE = 0.08;

interface Found {
  seed: number;
  index: number;
  minimal: GeneratedCase;
  result: Disagreement;
}

function runCases(count: number, seed: number): { found: Found[]; rejected: number } {
  const found: Found[] = [];
  let rejected = 0;
  for (let index = 0; index < count && found.length < 3; index++) {
    const caseSeed = seed + index;
    const random = new Random(caseSeed);
    let testCase = new WireGenerator(random).case();
    if (random.chance(0.2)) testCase = maybeCamelCase(random, testCase);
    if (random.chance(MUTATION_RATE)) testCase = mutate(random, testCase);
    const result = disagreement(testCase);
    if (result === null) continue;
    const minimal = shrink(testCase, (candidate) => disagreement(candidate) !== null, { keep: ['nowMs'] });
    found.push({ seed: caseSeed, index, minimal, result: disagreement(minimal) ?? result });
  }
  return { found, rejected };
}

describe('engine parity with Schematic WASM rules engine', () => {
  it(`agrees on ${CASES} generated cases (seed ${SEED})`, () => {
    const { found } = runCases(CASES, SEED);
    const report = found.map((f) => ({
      seed: f.seed,
      differingFields: f.result.fields,
      case: f.minimal,
      oracle: f.result.oracle,
      flagwire: f.result.ours,
    }));
    expect(report, JSON.stringify(report, null, 2)).toEqual([]);
  });
});
