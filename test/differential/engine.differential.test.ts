import { describe, expect, it } from 'vitest';
import { compareEngines, type Disagreement, disagreement } from '../support/compare-results';
import { Coverage, EXPECTED_COVERAGE } from '../support/coverage';
import { maybeCamelCase, mutate } from '../support/mutate';
import { Random } from '../support/random';
import { shrink } from '../support/shrink';
import { type GeneratedCase, WireGenerator } from '../support/wire-generator';

/**
 * flagwire's engine against Schematic's WASM engine on generated wire entities. Every case must agree on
 * every result field, and on whether the input is acceptable at all. `FLAGWIRE_DIFF_CASES` and
 * `FLAGWIRE_DIFF_SEED` change the run's size and seed; a failure prints each case's seed and its shrunk form.
 */
const CASES = Number(process.env.FLAGWIRE_DIFF_CASES ?? 25_000);
const SEED = Number(process.env.FLAGWIRE_DIFF_SEED ?? 20261123);
const MUTATION_RATE = 0.08;
const CAMEL_CASE_RATE = 0.2;
const MAX_REPORTED = 3;

interface Found {
  seed: number;
  minimal: GeneratedCase;
  result: Disagreement;
}

export function generateCase(seed: number): GeneratedCase {
  const random = new Random(seed);
  let testCase = new WireGenerator(random).case();
  if (random.chance(CAMEL_CASE_RATE)) testCase = maybeCamelCase(random, testCase);
  if (random.chance(MUTATION_RATE)) testCase = mutate(random, testCase);
  return testCase;
}

describe('engine parity with Schematic WASM rules engine', () => {
  const coverage = new Coverage();
  const found: Found[] = [];
  let compared = 0;

  it(`agrees on every result field for ${CASES} generated cases (seed ${SEED})`, () => {
    for (let index = 0; index < CASES && found.length < MAX_REPORTED; index++) {
      const seed = SEED + index;
      const testCase = generateCase(seed);
      const { ours, disagreement: problem } = compareEngines(testCase);
      compared++;
      coverage.record(testCase, ours);
      if (problem === null) continue;
      const minimal = shrink(testCase, (candidate) => disagreement(candidate) !== null, { keep: ['nowMs'] });
      found.push({ seed, minimal, result: disagreement(minimal) ?? problem });
    }
    const report = found.map((f) => ({
      seed: f.seed,
      differingFields: f.result.fields,
      case: f.minimal,
      oracle: f.result.oracle,
      flagwire: f.result.ours,
    }));
    expect(report, JSON.stringify(report, null, 2)).toEqual([]);
    expect(compared).toBe(CASES);
  }, 60_000 + CASES);

  it('reaches every condition type, operator, comparable type, rule type, period and preflight option', () => {
    const minimum = Math.max(1, Math.floor(CASES / 2000));
    expect(coverage.missing(EXPECTED_COVERAGE, minimum), JSON.stringify(Object.fromEntries(coverage.counts), null, 1)).toEqual([]);
  });
});
