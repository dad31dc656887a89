import { describe, expect, it } from 'vitest';
import type { ParsedUser } from '../../src/evaluators/schematic/engine';
import { parseUserFully, simpleUser } from '../../src/evaluators/schematic/engine/parse-subjects';
import { collectPools, fixtureFlags, makeCase } from '../support/fixture-cases';
import { maybeCamelCase, mutate } from '../support/mutate';
import { Random } from '../support/random';

/** A parsed user as plain data, traits listed, so two parses compare field by field. */
function plain(user: ParsedUser) {
  return { id: user.id, accountId: user.accountId, environmentId: user.environmentId, keys: user.keys, traits: user.traits.all(), rules: [...user.rulesByFlagId] };
}

function fullParse(user: unknown): ReturnType<typeof plain> | 'rejected' {
  try {
    return plain(parseUserFully(user));
  } catch {
    return 'rejected';
  }
}

describe('parseUser’s fast path', () => {
  it('reads every user it answers for exactly as the full reader does, and leaves the rest to it', () => {
    const pools = collectPools();
    const random = new Random(2207);
    let answered = 0;
    let declined = 0;
    for (let i = 0; i < 4000; i++) {
      const base = makeCase(random, pools, random.pick(fixtureFlags));
      const testCase = random.chance(0.5) ? mutate(random, maybeCamelCase(random, base)) : base;
      const user: unknown = random.chance(0.1) ? { ...(testCase.user ?? {}), rules: [] } : testCase.user;
      const fast = simpleUser(user);
      if (fast === null) {
        declined++;
        continue;
      }
      answered++;
      expect(plain(fast)).toEqual(fullParse(user));
      expect(Object.isFrozen(fast)).toBe(true);
    }
    // Both paths are exercised: most well-formed users take the fast one.
    expect(answered).toBeGreaterThan(1000);
    expect(declined).toBeGreaterThan(200);
  });

  it('declines what the full reader must word: camelCase twins, values of the wrong type, rules of its own', () => {
    const user = { id: 'u', account_id: 'a', environment_id: 'e', keys: { id: 'u' }, traits: [{ value: 'x', trait_definition: { id: 'user.r', comparable_type: 'string', entity_type: 'user' } }] };
    expect(simpleUser(user)).not.toBeNull();
    for (const broken of [
      { ...user, accountId: 'a' },
      { ...user, keys: { id: 1 } },
      { ...user, traits: [{ value: 1 }] },
      { ...user, traits: [{ value: 'x', trait_definition: { id: 'user.r', comparable_type: 'text', entity_type: 'user' } }] },
      { ...user, traits: [{ value: 'x', traitDefinition: null }] },
      { ...user, rules: [{}] },
      { ...user, id: undefined },
      Object.assign(Object.create({ inherited: true }), user),
    ]) {
      expect(simpleUser(broken)).toBeNull();
    }
  });
});
