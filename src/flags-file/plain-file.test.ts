import { describe, expect, it } from 'vitest';
import { Random } from '../../test/support/random';
import { plainUsers } from './plain-users';
import { conciseFileSchema } from './schema';

const VALUES: unknown[] = ['', 'x', 'user-1', 0, 1.5, -3, Number.NaN, Infinity, true, false, null, undefined, [], {}, ['a'], { a: 1 }];

/** A user-like value, well-formed or not in one of the ways a file can get it wrong. */
function userLike(random: Random): unknown {
  if (random.chance(0.05)) return random.pick(VALUES);
  const user: Record<string, unknown> = {};
  if (random.chance(0.95)) {
    const keys: Record<string, unknown> = {};
    const count = random.int(0, 3);
    for (let i = 0; i < count; i++) keys[random.pick(['id', 'email', 'key'])] = random.chance(0.9) ? `v${random.int(0, 9)}` : random.pick(VALUES);
    user.keys = random.chance(0.95) ? keys : random.pick(VALUES);
  }
  if (random.chance(0.3)) user.id = random.chance(0.8) ? `u${random.int(0, 9)}` : random.pick(VALUES);
  if (random.chance(0.3)) user.name = random.chance(0.8) ? 'Ada' : random.pick(VALUES);
  if (random.chance(0.7)) {
    const traits: Record<string, unknown> = {};
    for (let i = 0; i < random.int(0, 3); i++) traits[random.pick(['role', 'beta', 'logins'])] = random.pick(VALUES);
    user.traits = random.chance(0.95) ? traits : random.pick(VALUES);
  }
  if (random.chance(0.03)) user.extra = 1;
  return user;
}

describe('plainUsers', () => {
  it('accepts only users the schema accepts, reading them as the schema does', () => {
    const random = new Random(23);
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 5000; i++) {
      const file = { flags: {}, users: Array.from({ length: random.int(1, 3) }, () => userLike(random)) };
      const fast = plainUsers(file);
      const schema = conciseFileSchema.safeParse(file);
      if (fast === null) {
        refused++;
        continue;
      }
      accepted++;
      expect(schema.success, JSON.stringify(file)).toBe(true);
      expect(fast).toEqual(schema.data?.users);
    }
    // Both kinds were met, so neither branch above went untested.
    expect(accepted).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(500);
  });

  it('leaves a file without a list of users to the schema', () => {
    expect(plainUsers({ flags: {} })).toBeNull();
    expect(plainUsers([])).toBeNull();
    expect(plainUsers({ flags: {}, users: {} })).toBeNull();
  });
});
