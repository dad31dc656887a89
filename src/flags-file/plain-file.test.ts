import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flagsFileText, storedUsers } from '../../bench/peers/fixtures';
import { SAMPLE_FLAGS } from '../../test/support/flags-files';
import { Random } from '../../test/support/random';
import { plainConciseFile, plainUsers } from './plain-file';
import { readPlainJson } from './plain-json';
import { type ConciseFile, conciseFileSchema } from './schema';

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

/**
 * Reads 5,000 generated files both ways: every one the plain path accepts, the schema accepts too and reads the
 * same (`part` picks what the plain path returns from the schema's data). Both outcomes must be common, so
 * neither branch goes untested.
 */
function agreesWithSchema(make: () => unknown, plain: (file: unknown) => unknown, part: (data: ConciseFile) => unknown): void {
  let accepted = 0;
  let refused = 0;
  for (let i = 0; i < 5000; i++) {
    const file = make();
    const fast = plain(file);
    if (fast === null) {
      refused++;
      continue;
    }
    accepted++;
    const schema = conciseFileSchema.safeParse(file);
    expect(schema.success, JSON.stringify(file)).toBe(true);
    expect(fast, JSON.stringify(file)).toEqual(part(schema.data as ConciseFile));
  }
  expect(accepted).toBeGreaterThan(500);
  expect(refused).toBeGreaterThan(500);
}

describe('plainUsers', () => {
  it('accepts only users the schema accepts, reading them as the schema does', () => {
    const random = new Random(23);
    agreesWithSchema(
      () => ({ flags: {}, users: Array.from({ length: random.int(1, 3) }, () => userLike(random)) }),
      plainUsers,
      (data) => data.users,
    );
  });

  it('leaves a file without a list of users to the schema', () => {
    expect(plainUsers({ flags: {} })).toBeNull();
    expect(plainUsers([])).toBeNull();
    expect(plainUsers({ flags: {}, users: {} })).toBeNull();
  });
});

/** A value of the concise format's kind, or (now and then) one of the ways a writer gets it wrong. */
function sometimes<T>(random: Random, make: () => T, wrongness = 0.04): T | unknown {
  return random.chance(wrongness) ? random.pick(VALUES) : make();
}

function ruleLike(random: Random, variations: readonly string[] | null): Record<string, unknown> {
  const rule: Record<string, unknown> = {};
  if (random.chance(0.7)) rule.when = sometimes(random, () => (random.chance(0.5) ? 'user.role = admin' : random.times(0, 2, () => 'company.seats >= 10')));
  if (random.chance(0.2)) rule.name = sometimes(random, () => random.pick(['Admins', '']));
  if (random.chance(0.3)) rule.type = sometimes(random, () => random.pick(['standard', 'entitlement', 'override', 'other']));
  if (random.chance(0.4)) rule.value = sometimes(random, () => (variations && random.chance(0.8) ? random.pick(variations) : random.pick([true, false, 'x', 3])));
  else if (random.chance(0.3)) rule.rollout = rolloutLike(random, variations);
  if (random.chance(0.2)) rule.by = sometimes(random, () => random.pick(['user.key', 'company.id', 'user.', 'team']));
  if (random.chance(0.02)) rule.extra = true;
  return rule;
}

function rolloutLike(random: Random, variations: readonly string[] | null): unknown {
  return sometimes(random, () => {
    const names = variations ?? ['true', 'false'];
    const weights = random.chance(0.8) ? [100, 0, 0] : random.pick([[50, 50, 0.5], [33.3, 33.3, 33.4], [-10, 110, 0], [60, 60, 0]]);
    return Object.fromEntries(names.map((name, i) => [name, weights[i % 3]]));
  });
}

function flagLike(random: Random): unknown {
  return sometimes(random, () => {
    const flag: Record<string, unknown> = {};
    const variations = random.chance(0.4) ? ['control', 'bold', 'question'].slice(0, random.int(1, 3)) : null;
    if (variations) flag.variations = sometimes(random, () => (random.chance(0.6) ? variations : Object.fromEntries(variations.map((name) => [name, random.pick([name, 1, { deep: [null, 2] }, null])]))));
    else if (random.chance(0.03)) flag.variations = random.pick([[], {}, [true], { '': 1 }]);
    if (random.chance(0.3)) flag.default = sometimes(random, () => (variations ? random.pick(variations) : random.pick([true, false, 'on'])));
    if (random.chance(0.2)) flag.off = sometimes(random, () => (variations ? random.pick(variations) : random.pick([true, false])));
    if (random.chance(0.2)) flag.enabled = sometimes(random, () => random.chance(0.5));
    if (random.chance(0.3)) flag.client = sometimes(random, () => random.chance(0.5));
    if (random.chance(0.2)) flag.description = sometimes(random, () => 'What it does');
    if (random.chance(0.2)) flag.rollout = rolloutLike(random, variations);
    if (random.chance(0.1)) flag.by = sometimes(random, () => 'user.team');
    if (random.chance(0.8)) flag.rules = sometimes(random, () => random.times(0, 3, () => sometimes(random, () => ruleLike(random, variations))));
    if (random.chance(0.02)) flag.rulez = [];
    return flag;
  });
}

function companyLike(random: Random): unknown {
  return sometimes(random, () => {
    const company: Record<string, unknown> = { keys: sometimes(random, () => ({ domain: `d${random.int(0, 9)}.test` })) };
    if (random.chance(0.3)) company.id = sometimes(random, () => `c${random.int(0, 9)}`);
    if (random.chance(0.3)) company.name = sometimes(random, () => 'Acme');
    if (random.chance(0.3)) company.plan = sometimes(random, () => random.pick(['pro', '']));
    if (random.chance(0.2)) company.plans = sometimes(random, () => random.pick([['pro'], [''], []]));
    if (random.chance(0.5)) company.traits = sometimes(random, () => ({ seats: random.pick(VALUES) }));
    if (random.chance(0.3)) company.usage = sometimes(random, () => ({ exports: random.pick([0, 3, 1.5, -2, 2 ** 60, 'x']) }));
    if (random.chance(0.02)) company.tier = 'gold';
    return company;
  });
}

function fileLike(random: Random): unknown {
  return sometimes(random, () => {
    const file: Record<string, unknown> = { flags: sometimes(random, () => Object.fromEntries(random.times(0, 4, (i) => [random.chance(0.02) ? '' : `flag-${i}`, flagLike(random)]))) };
    if (random.chance(0.3)) file.segments = sometimes(random, () => ({ beta: sometimes(random, () => (random.chance(0.8) ? { when: 'user.beta = true' } : { description: 'x' })) }));
    if (random.chance(0.5)) file.companies = sometimes(random, () => random.times(0, 2, () => companyLike(random)));
    if (random.chance(0.5)) file.users = random.times(0, 2, () => userLike(random));
    if (random.chance(0.1)) file.$schema = sometimes(random, () => './flags.schema.json');
    if (random.chance(0.02)) file.flagz = {};
    return file;
  }, 0.01);
}

describe('plainConciseFile', () => {
  it('accepts only files the schema accepts, reading them as the schema does', () => {
    const random = new Random(24);
    agreesWithSchema(() => fileLike(random), plainConciseFile, (data) => data);
  });

  it('accepts the files people write: the sample the tests use, both examples and the peers bench', () => {
    const texts = ['examples/express/flagwire.flags.json', 'examples/next/flagwire.flags.json'].map((path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'));
    texts.push(flagsFileText(storedUsers(20)));
    const files = texts.map((text) => readPlainJson(text)?.value);
    for (const file of [SAMPLE_FLAGS, ...files]) {
      expect(file).toBeDefined();
      expect(plainConciseFile(file), JSON.stringify(file).slice(0, 200)).toEqual(conciseFileSchema.parse(file));
    }
  });
});
