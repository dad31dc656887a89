import { describe, expect, it } from 'vitest';
import { compareEngines } from '../support/compare-results';
import { collectPools, fixtureFlags as flags, makeCase } from '../support/fixture-cases';
import { Random } from '../support/random';

/** Schematic's own production-shaped flags (plan entitlements, overrides, metric and trait limits). */
const CASES_PER_FLAG = Number(process.env.FLAGWIRE_FIXTURE_CASES ?? 60);

describe('engine parity on Schematic’s own flags', () => {
  it(`agrees on all ${flags.length} fixture flags × ${CASES_PER_FLAG} generated companies and users`, () => {
    expect(flags).toHaveLength(70);
    const pools = collectPools();
    const problems: unknown[] = [];
    const decidedBy = new Map<string, number>();
    flags.forEach((flag, flagIndex) => {
      const r = new Random(7000 + flagIndex);
      for (let i = 0; i < CASES_PER_FLAG && problems.length < 3; i++) {
        const testCase = makeCase(r, pools, flag);
        const { ours, disagreement } = compareEngines(testCase);
        const decider = ours.ruleType ?? 'no rule';
        decidedBy.set(decider, (decidedBy.get(decider) ?? 0) + 1);
        if (disagreement) problems.push({ flag: flag.key, case: testCase, ...disagreement });
      }
    });
    expect(problems, JSON.stringify(problems, null, 2)).toEqual([]);
    // The cases reach the fixtures' rules, not just their defaults.
    for (const ruleType of ['company_override', 'plan_entitlement', 'standard']) {
      expect(decidedBy.get(ruleType) ?? 0, JSON.stringify(Object.fromEntries(decidedBy))).toBeGreaterThan(CASES_PER_FLAG / 10);
    }
  });
});
