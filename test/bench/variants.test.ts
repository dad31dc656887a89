import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchUser, benchUsers, checkEvaluatorsAgree, createVariantEvaluators, rolloutCounts, type VariantEvaluators } from '../../bench/variants';

// The bench's own checks, on fewer keys: its "headline" flag, written for flagwire, FeatBit and GrowthBook,
// must stay the same flag in all three, or its figures compare different work.
let evaluators: VariantEvaluators;
beforeAll(async () => {
  evaluators = await createVariantEvaluators();
});
afterAll(() => evaluators?.close());

describe('the variants bench fixture', () => {
  it('serves every bench user the same variation from the flags file, both FeatBit evaluators, and GrowthBook where hashing does not enter', async () => {
    const users = benchUsers(256);
    expect(users.filter((user) => user.country === 'DE').length).toBeGreaterThan(20);
    await expect(checkEvaluatorsAgree(evaluators, users)).resolves.toBeUndefined();
  });

  it('splits keys close to 34/33/33, with FeatBit SDK agreeing on every key', async () => {
    const { counts, disagreements } = await rolloutCounts(evaluators, 3000);
    expect(disagreements).toBe(0);
    expect(counts.control + counts.bold + counts.question).toBe(3000);
    for (const [name, target] of [['control', 0.34], ['bold', 0.33], ['question', 0.33]] as const) expect(Math.abs(counts[name] / 3000 - target)).toBeLessThan(0.04);
  });

  it('notices when one evaluator serves a different variation', async () => {
    const wrong: VariantEvaluators = { ...evaluators, flagsFile: () => 'question' };
    await expect(checkEvaluatorsAgree(wrong, [benchUser('user-1', 'DE')])).rejects.toThrow(/disagree/);
  });
});
