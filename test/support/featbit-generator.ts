import { createHash } from 'node:crypto';
import type { FeatBitCondition, FeatBitFlag, FeatBitRolloutVariation, FeatBitSegment, FeatBitUser } from '../../src/evaluators/featbit';
import { FEATBIT_OPERATORS } from '../../src/evaluators/featbit';
import type { Random } from './random';

/**
 * Random FeatBit flags, segments and users from a seeded PRNG, for the differential test against FeatBit's Node
 * SDK. Values come from small pools so conditions, targets and segments match often; every operator, segment
 * rules, split rollouts with shared edges and shortcuts, experiments and disabled flags all appear, and so do the
 * inputs on which FeatBit's SDKs disagree (a missing attribute, loose numbers, archived or absent segments…),
 * which the differential test sets aside and the divergence tests cover by hand.
 */
export interface FeatBitCase {
  flag: FeatBitFlag;
  segments: FeatBitSegment[];
  user: FeatBitUser;
}

export const SEGMENT_IN = 'User is in segment';
export const SEGMENT_NOT_IN = 'User is not in segment';

const USER_KEYS = ['user-1', 'user-2', 'user-3', 'user-123', 'user-4029', 'zoë@example.org', '新功能用户-42', 'u-7'];
const NAMES = ['Ada', 'Grace', 'ada', 'Zoë', ''];
const FLAG_KEYS = ['checkout-v2', 'new-onboarding', 'pricing_page', '新功能', 'k'];
const PROPERTIES = ['country', 'plan', 'age', 'email', 'beta', 'score', 'device'];
const VALUES: Record<string, readonly string[]> = {
  country: ['US', 'FR', 'us', 'GB', 'CN', ''],
  plan: ['free', 'pro', 'Pro', 'enterprise', 'pro-trial'],
  age: ['17', '30', '30.5', '45', '-1', '1e2', '.5', '+7', '30.', '0', 'abc', '', '-0', '007', ' 45', '\t30 '],
  email: ['a@example.org', 'b@test.io', 'ada@example.org', 'x.y@z', 'ADA@EXAMPLE.ORG'],
  beta: ['true', 'TRUE', 'True', 'false', 'FALSE', 'yes', '', 'tru'],
  score: ['0', '0.5', '99.99', '100', '-3.25', '1E3', '12'],
  device: ['ios', 'android', 'web', 'iPhone 15', 'a.c', 'abc', '^a', '(x'],
};
const NUMBERS = ['0', '18', '30', '30.5', '100', '-1', '1e2', '.5', '12', 'abc', '', '1E1', '+30'];
// Text JavaScript's parseFloat reads differently from a whole-string number (the SDKs diverge on it), and numbers
// with white space around them (which every SDK reads as the number).
const LOOSE_NUMBERS = ['30abc', ' 30', '0x10', 'Infinity', '1_000', '1e400', '30 '];
const REGEXES = ['^us$', 'US', 'pro', '^a', 'example\\.org$', 'a.c', '[0-9]+', '(', 'ios', '^$', 'iPhone 15'];
const UNKNOWN_OPS = ['Unknown', 'equal', ''];

export class FeatBitGenerator {
  constructor(private readonly random: Random) {}

  case(): FeatBitCase {
    const segments = this.random.times(0, 3, (i) => this.segment(`seg-${i}`));
    const flag = this.flag(segments.map((s) => s.id));
    const user = this.user();
    if (this.random.chance(0.15)) this.splitAtUsersBucket(flag, user);
    return { flag, segments, user };
  }

  /**
   * Puts the edge between two shares exactly on the user's bucket (hashed here with node:crypto), so shared
   * edges are compared too: random cut points never land on a bucket.
   */
  private splitAtUsersBucket(flag: FeatBitFlag, user: FeatBitUser): void {
    const r = this.random;
    const rollout = r.chance(0.5) || flag.rules.length === 0 ? flag.fallthrough : r.pick(flag.rules);
    if (rollout.dispatchKey !== null && rollout.dispatchKey.trim() !== '') return;
    const bucket = Math.abs(createHash('md5').update(`${flag.key}${user.key ?? ''}`).digest().readInt32LE(0) / 2 ** 31);
    const [first, second] = [r.pick(flag.variations).id, r.pick(flag.variations).id];
    rollout.variations = [
      { id: first, rollout: [0, bucket], exptRollout: this.expt(bucket) },
      { id: second, rollout: [bucket, 1], exptRollout: this.expt(1 - bucket) },
    ];
  }

  user(): FeatBitUser {
    const r = this.random;
    const user: FeatBitUser = { key: r.chance(0.01) ? ' ' : r.pick(USER_KEYS) };
    if (r.chance(0.95)) user.name = r.pick(NAMES);
    // Most users carry most attributes, so conditions usually read a present value.
    user.customizedProperties = r.subset(PROPERTIES, 0.92).map((name) => ({ name, value: this.valueFor(name) }));
    if (r.chance(0.05)) user.customizedProperties.push({ name: 'country', value: 'ZZ' });
    return user;
  }

  private valueFor(property: string): string {
    if (property === 'age' && this.random.chance(0.03)) return this.random.pick(LOOSE_NUMBERS);
    return this.random.pick(VALUES[property] ?? ['x']);
  }

  private property(): string {
    const r = this.random;
    if (r.chance(0.1)) return 'keyId';
    if (r.chance(0.08)) return 'name';
    if (r.chance(0.02)) return r.pick(['', 'missing-attribute', 'key']);
    return r.pick(PROPERTIES);
  }

  condition(): FeatBitCondition {
    const r = this.random;
    const property = this.property();
    const op = r.chance(0.03) ? r.pick(UNKNOWN_OPS) : r.pick(FEATBIT_OPERATORS);
    return { property, op, value: this.conditionValue(property, op) };
  }

  private sample(property: string): string {
    if (property === 'keyId') return this.random.pick(USER_KEYS);
    if (property === 'name') return this.random.pick(NAMES);
    return this.valueFor(property);
  }

  private conditionValue(property: string, op: string): string {
    const r = this.random;
    switch (op) {
      case 'LessThan':
      case 'LessEqualThan':
      case 'BiggerThan':
      case 'BiggerEqualThan':
        return r.chance(0.05) ? r.pick(LOOSE_NUMBERS) : r.pick(NUMBERS);
      case 'MatchRegex':
      case 'NotMatchRegex':
        // Often the attribute's own value: then the SDKs' swapped operands still agree.
        return r.chance(0.6) ? this.sample(property) : r.pick(REGEXES);
      case 'IsOneOf':
      case 'NotOneOf':
        if (r.chance(0.04)) return r.pick(['not json', '"pro"', '[1, 2]', '{}', 'null']);
        return JSON.stringify(r.times(0, 3, () => this.sample(property)));
      case 'IsTrue':
      case 'IsFalse':
        return r.pick(['', 'true', 'ignored']);
      case 'Contains':
      case 'NotContain':
      case 'StartsWith':
      case 'EndsWith': {
        const sample = this.sample(property);
        const cut = r.int(0, sample.length);
        return op === 'EndsWith' ? sample.slice(cut) : r.chance(0.5) ? sample.slice(0, cut) : sample.slice(Math.floor(cut / 2), cut);
      }
      default:
        return this.sample(property);
    }
  }

  private segmentCondition(segmentIds: readonly string[]): FeatBitCondition {
    const r = this.random;
    const property = r.chance(0.6) ? SEGMENT_IN : SEGMENT_NOT_IN;
    const ids = r.subset(segmentIds, 0.6);
    if (r.chance(0.05)) ids.push('seg-absent');
    const value = r.chance(0.02) ? r.pick(['seg-0', '[', '"seg-0"']) : JSON.stringify(ids);
    return { property, op: null, value };
  }

  segment(id: string): FeatBitSegment {
    const r = this.random;
    return {
      id,
      name: `Segment ${id}`,
      included: r.subset(USER_KEYS, 0.2),
      excluded: r.subset(USER_KEYS, 0.1),
      rules: r.times(0, 2, (i) => ({ id: `${id}-rule-${i}`, name: `rule ${i}`, conditions: r.times(1, 2, () => this.condition()) })),
      isArchived: r.chance(0.03),
      updatedAt: '2025-01-01T00:00:00.000Z',
    };
  }

  private dispatchKey(): string | null {
    const r = this.random;
    if (r.chance(0.5)) return null;
    if (r.chance(0.03)) return 'missing-attribute';
    return r.pick(['', '  ', 'keyId', 'name', 'country', 'plan', 'email']);
  }

  /** Shares over [0, 1]: random cut points (often round), sometimes a gap, a zero-width share or the near-one shortcut. */
  rollout(variationIds: readonly string[]): FeatBitRolloutVariation[] {
    const r = this.random;
    const pick = () => (r.chance(0.015) ? 'missing-variation' : r.pick(variationIds));
    const shape = r.next();
    if (shape < 0.2) return [{ id: pick(), rollout: [0, 1], exptRollout: this.expt(1) }];
    if (shape < 0.25) return [{ id: pick(), rollout: [0, r.pick([0.99999, 0.999995, 0.9999])], exptRollout: this.expt(1) }, { id: pick(), rollout: [0.99999, 1], exptRollout: 0 }];
    const count = r.int(2, 4);
    const cuts = Array.from({ length: count - 1 }, () => (r.chance(0.5) ? r.int(0, 100) / 100 : r.next())).sort((a, b) => a - b);
    const edges = [0, ...cuts, 1];
    const shares: FeatBitRolloutVariation[] = [];
    for (let i = 0; i < count; i++) {
      const start = edges[i]!;
      const end = edges[i + 1]!;
      shares.push({ id: pick(), rollout: [start, end], exptRollout: this.expt(end - start) });
    }
    if (r.chance(0.03)) shares.splice(r.int(0, shares.length - 1), 1);
    if (r.chance(0.03)) shares.unshift({ id: pick(), rollout: [0, 0], exptRollout: 0 });
    return r.chance(0.1) ? shares.reverse() : shares;
  }

  private expt(width: number): number {
    const r = this.random;
    return r.pick([0, width, width / 2, width * r.next(), 1, Math.min(1, width * 1.5)]);
  }

  flag(segmentIds: readonly string[]): FeatBitFlag {
    const r = this.random;
    const variationType = r.pick(['boolean', 'string', 'number', 'json'] as const);
    const values = { boolean: ['true', 'false'], string: ['control', 'one-page', 'two-page', ''], number: ['0', '1.5', '42'], json: ['{"a":1}', '[]', '"x"'] }[variationType];
    const variations = values.slice(0, r.int(2, values.length)).map((value, i) => ({ id: `var-${i}`, value }));
    const ids = variations.map((v) => v.id);
    const variationId = () => (r.chance(0.02) ? 'missing-variation' : r.pick(ids));
    return {
      id: 'flag-id',
      key: r.pick(FLAG_KEYS),
      name: 'Generated flag',
      variationType,
      variations,
      targetUsers: r.times(0, 2, () => ({ keyIds: r.subset(USER_KEYS, 0.25), variationId: variationId() })),
      rules: r.times(0, 3, (i) => ({
        id: `rule-${i}`,
        name: `Rule ${i}`,
        dispatchKey: this.dispatchKey(),
        includedInExpt: r.chance(0.5),
        conditions: r.times(0, 3, () => (segmentIds.length > 0 && r.chance(0.25) ? this.segmentCondition(segmentIds) : this.condition())),
        variations: this.rollout(ids),
      })),
      isEnabled: r.chance(0.88),
      disabledVariationId: variationId(),
      fallthrough: { dispatchKey: this.dispatchKey(), includedInExpt: r.chance(0.5), variations: this.rollout(ids) },
      exptIncludeAllTargets: r.chance(0.2),
      isArchived: r.chance(0.02),
      updatedAt: '2025-01-01T00:00:00.000Z',
      createdAt: '2024-06-01T00:00:00.000Z',
      tags: [],
    };
  }
}
