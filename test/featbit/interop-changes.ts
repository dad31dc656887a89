import type { IUser } from '@featbit/node-server-sdk';
import { FEATBIT_OPERATORS, type FeatBitCondition, type FeatBitFlag, type FeatBitRolloutVariation, type FeatBitSegment, type FeatBitVariationType } from '../../src/evaluators/featbit';
import type { EvaluationContext } from '../../src/server/index';
import { SEGMENT_IN, SEGMENT_NOT_IN } from '../support/featbit-generator';
import type { Random } from '../support/random';

/**
 * The interop test's world: people described once (and handed to each SDK in its own way), and a sequence
 * of changes to one FeatBit environment's flags and segments. Inputs avoid FeatBit's documented divergences
 * by construction (the test still runs every compared case through the classifier to prove it): every
 * person carries every property a condition or dispatch key can name; numbers are plain decimals; regex
 * conditions only read properties whose values are never a pattern match of one another; segments are never
 * archived or removed, and every segment id a condition names exists; every rollout covers [0, 1] with
 * variations the flag has. Archived flags are the one divergence the sequence runs into on purpose.
 */
export interface Person {
  key: string;
  name: string;
  email: string;
  traits: { country: string; plan: string; age: number; beta: boolean; device: string };
  company: { domain: string; plan: string; seats: number };
}

const COUNTRIES = ['US', 'FR', 'GB', 'DE', 'JP'];
const PLANS = ['free', 'pro', 'team', 'enterprise'];
const DEVICES = ['ios', 'android', 'web', 'desktop'];
const AGES = [17, 25, 30, 45.5, 61, 0];
const NAMES = ['Ada', 'Grace', 'Zoë', 'Linus', 'Mae'];
const COMPANIES = [
  { domain: 'acme.test', plan: 'pro', seats: 12 },
  { domain: 'globex.test', plan: 'free', seats: 80 },
  { domain: 'initech.test', plan: 'enterprise', seats: 30 },
  { domain: 'umbrella.test', plan: 'team', seats: 250 },
];
const NUMBERS = ['0', '18', '30', '45.5', '100', '250'];
// `keyId` is left out of regex conditions: `user-1` is a pattern match of `user-12`, and the Node SDK swaps the operands.
const REGEX_SAFE = new Set(['country', 'plan', 'device', 'name', 'email', 'company.domain', 'company.plan']);
const NUMERIC = new Set(['age', 'company.seats']);
const PROPERTIES = ['keyId', 'name', 'email', 'country', 'plan', 'age', 'beta', 'device', 'company.domain', 'company.plan', 'company.seats'];
const DISPATCH_KEYS = ['country', 'company.domain', 'email', 'keyId', 'device'];

export const FLAG_TYPES: Readonly<Record<string, FeatBitVariationType>> = { checkout: 'boolean', 'search-v2': 'boolean', headline: 'string', onboarding: 'string', discount: 'number', layout: 'json' };
const VALUES: Record<FeatBitVariationType, string[]> = {
  boolean: ['true', 'false'],
  string: ['control', 'bold', 'question'],
  number: ['0', '10', '25'],
  json: ['{"columns":2}', '{"columns":3}', '{"columns":4,"dense":true}'],
};
export const SEGMENT_IDS = ['seg-beta-testers', 'seg-big-teams', 'seg-europe'];

export function people(random: Random, count: number): Person[] {
  const keys = Array.from({ length: count }, (_, i) => (i % 10 === 7 ? `zoë-${i}` : i % 10 === 3 ? `用户-${i}` : `user-${i}`));
  return keys.map((key) => ({
    key,
    name: random.pick(NAMES),
    email: `${key}@example.org`,
    traits: { country: random.pick(COUNTRIES), plan: random.pick(PLANS), age: random.pick(AGES), beta: random.chance(0.4), device: random.pick(DEVICES) },
    company: random.pick(COMPANIES),
  }));
}

/** The person as a flagwire app describes them: keys, request-time attributes, and their company. */
export function contextOf(person: Person): EvaluationContext {
  return {
    user: { key: person.key, email: person.email },
    company: { domain: person.company.domain },
    attributes: { user: { name: person.name, ...person.traits }, company: { plan: person.company.plan, seats: person.company.seats } },
  };
}

/**
 * The same person as a FeatBit app describes them (what `UserBuilder` builds): built-in key and name, every
 * other property custom, company ones as `company.<name>`. flagwire also sends its user key as a `key`
 * property; no condition reads `key`, whose meaning the SDKs disagree on (property aliases).
 */
export function featBitUserOf(person: Person): IUser {
  const custom = { email: person.email, ...person.traits, 'company.domain': person.company.domain, 'company.plan': person.company.plan, 'company.seats': person.company.seats };
  return { key: person.key, name: person.name, customizedProperties: Object.entries(custom).map(([name, value]) => ({ name, value: String(value) })) };
}

export type ChangeKind = 'patch' | 'experiment' | 'segment' | 'disable' | 'archive' | 'revive' | 'replace-all' | 'reconnect';

/** One change: the rows to send (all of them for `replace-all` and `reconnect`), and the flags both clients must report changed before answers are compared. */
export interface Change {
  kind: ChangeKind;
  flags: FeatBitFlag[];
  segments: FeatBitSegment[];
  changedKeys: string[];
}

const ROTATION: ChangeKind[] = ['patch', 'segment', 'experiment', 'disable', 'archive', 'replace-all', 'revive', 'segment', 'archive', 'patch'];
const LATER: ChangeKind[] = ['patch', 'patch', 'experiment', 'segment', 'disable', 'archive', 'revive', 'replace-all'];

/** The sequence: every kind early, one reconnect mid-way (the Node SDK's reconnect delay grows and never resets), then random kinds. */
export function changeKinds(random: Random, count: number): ChangeKind[] {
  return Array.from({ length: count }, (_, i) => (i === Math.floor(count / 2) ? 'reconnect' : (ROTATION[i] ?? random.pick(LATER))));
}

/** The environment's flags and segments as the server holds them, and the changes that move it on. */
export class InteropWorld {
  readonly flags = new Map<string, FeatBitFlag>();
  readonly segments = new Map<string, FeatBitSegment>();
  private step = 0;

  constructor(
    private readonly random: Random,
    private readonly persons: readonly Person[],
  ) {
    for (const id of SEGMENT_IDS) this.segments.set(id, this.segment(id));
    for (const key of Object.keys(FLAG_TYPES)) this.flags.set(key, this.flag(key));
  }

  liveKeys(): string[] {
    return [...this.flags.values()].filter((flag) => !flag.isArchived).map((flag) => flag.key);
  }

  /** Applies a change of this kind to the world and says what it sent (a kind that cannot apply becomes a patch). */
  next(kind: ChangeKind): Change {
    this.step++;
    const r = this.random;
    const live = this.liveKeys();
    const archived = [...this.flags.values()].filter((flag) => flag.isArchived).map((flag) => flag.key);
    const absent = Object.keys(FLAG_TYPES).filter((key) => !this.flags.has(key));
    if (kind === 'revive' && archived.length === 0) kind = 'patch';
    if ((kind === 'archive' || kind === 'disable' || kind === 'segment') && live.length === 0) kind = 'patch';
    switch (kind) {
      case 'patch':
        return this.upsert(kind, r.times(1, 2, () => r.pick(Object.keys(FLAG_TYPES))));
      case 'experiment':
        return this.upsert(kind, [r.pick(Object.keys(FLAG_TYPES))], { experiment: true });
      case 'revive':
        return this.upsert(kind, [r.pick(archived)]);
      case 'disable':
      case 'archive': {
        const key = r.pick(live);
        const flag = { ...(this.flags.get(key) as FeatBitFlag), updatedAt: this.stamp() };
        if (kind === 'disable') flag.isEnabled = false;
        else flag.isArchived = true;
        this.flags.set(key, flag);
        return { kind, flags: [flag], segments: [], changedKeys: [key] };
      }
      case 'segment': {
        const id = r.pick(SEGMENT_IDS);
        const segment = this.segment(id);
        this.segments.set(id, segment);
        const readers = live.filter((key) => JSON.stringify(this.flags.get(key)?.rules).includes(id));
        // A segment no live flag reads changes no answer; then a flag starts reading it, so the change shows.
        const change = readers.length > 0 ? { kind, flags: [], segments: [segment], changedKeys: readers } : this.upsert(kind, [r.pick(live)], { segment: id });
        return { ...change, segments: [segment] };
      }
      case 'replace-all':
      case 'reconnect': {
        // A reconnect resumes from each client's newest version: it brings new rows, never removals.
        const removed = kind === 'replace-all' && live.length > 3 ? [r.pick(live)] : [];
        for (const key of removed) this.flags.delete(key);
        const change = this.upsert(kind, [r.pick([...live.filter((key) => !removed.includes(key)), ...absent])]);
        return { ...change, flags: [...this.flags.values()], segments: [...this.segments.values()], changedKeys: [...change.changedKeys, ...removed] };
      }
    }
  }

  private upsert(kind: ChangeKind, keys: string[], options: { experiment?: boolean; segment?: string } = {}): Change {
    const flags = [...new Set(keys)].map((key) => this.flag(key, options));
    for (const flag of flags) this.flags.set(flag.key, flag);
    return { kind, flags, segments: [], changedKeys: flags.map((flag) => flag.key) };
  }

  /** Every change's rows carry a newer `updatedAt` than anything before, as FeatBit's do. */
  private stamp(): string {
    return new Date(Date.parse('2025-03-01T00:00:00.000Z') + this.step * 60_000).toISOString();
  }

  private flag(key: string, options: { experiment?: boolean; segment?: string } = {}): FeatBitFlag {
    const r = this.random;
    const variationType = FLAG_TYPES[key] as FeatBitVariationType;
    const variations = VALUES[variationType].map((value, i) => ({ id: `${key}-v${i}`, value }));
    const ids = variations.map((v) => v.id);
    const rules = r.times(0, 3, (i) => ({
      id: `${key}-rule-${i}`,
      name: `Rule ${i}`,
      dispatchKey: this.dispatchKey(),
      includedInExpt: false,
      conditions: r.times(1, 3, () => (r.chance(0.25) ? this.segmentCondition() : this.condition())),
      variations: this.rollout(ids),
    }));
    if (options.segment) rules.unshift({ id: `${key}-rule-segment`, name: 'Segment', dispatchKey: null, includedInExpt: false, conditions: [{ property: SEGMENT_IN, op: null, value: JSON.stringify([options.segment]) }], variations: this.rollout(ids) });
    return {
      id: `${key}-id`,
      key,
      name: key,
      variationType,
      variations,
      targetUsers: r.times(0, 2, () => ({ keyIds: r.times(1, 4, () => r.pick(this.persons).key), variationId: r.pick(ids) })),
      rules: options.experiment ? [] : rules,
      isEnabled: options.experiment || r.chance(0.9),
      disabledVariationId: r.pick(ids),
      fallthrough: { dispatchKey: this.dispatchKey(), includedInExpt: false, variations: options.experiment ? this.thirds(ids) : this.rollout(ids) },
      exptIncludeAllTargets: false,
      isArchived: false,
      updatedAt: this.stamp(),
      createdAt: '2025-01-01T00:00:00.000Z',
      tags: [],
    };
  }

  private segment(id: string): FeatBitSegment {
    const r = this.random;
    return {
      id,
      name: id,
      included: r.times(0, 4, () => r.pick(this.persons).key),
      excluded: r.times(0, 2, () => r.pick(this.persons).key),
      rules: r.times(1, 2, (i) => ({ id: `${id}-rule-${i}`, name: `rule ${i}`, conditions: r.times(1, 2, () => this.condition()) })),
      isArchived: false,
      updatedAt: this.stamp(),
    };
  }

  private dispatchKey(): string | null {
    return this.random.chance(0.5) ? null : this.random.pick(DISPATCH_KEYS);
  }

  /** One share, a 34/33/33 (or 50/50) split, or random cut points; the whole of [0, 1] is always covered. */
  private rollout(ids: string[]): FeatBitRolloutVariation[] {
    const r = this.random;
    const shape = r.next();
    if (shape < 0.35) return [{ id: r.pick(ids), rollout: [0, 1], exptRollout: 1 }];
    if (shape < 0.6) return this.thirds(ids);
    const cuts = r.times(1, 2, () => r.next()).sort((a, b) => a - b);
    const edges = [0, ...cuts, 1];
    return cuts.concat(1).map((end, i) => ({ id: r.pick(ids), rollout: [edges[i] as number, end], exptRollout: end - (edges[i] as number) }));
  }

  private thirds(ids: string[]): FeatBitRolloutVariation[] {
    const edges = ids.length >= 3 ? [0, 0.34, 0.67, 1] : [0, 0.5, 1];
    return edges.slice(1).map((end, i) => ({ id: ids[i] as string, rollout: [edges[i] as number, end], exptRollout: end - (edges[i] as number) }));
  }

  private segmentCondition(): FeatBitCondition {
    const property = this.random.chance(0.6) ? SEGMENT_IN : SEGMENT_NOT_IN;
    return { property, op: null, value: JSON.stringify(this.random.subset(SEGMENT_IDS, 0.5)) };
  }

  private condition(): FeatBitCondition {
    const r = this.random;
    const property = r.pick(PROPERTIES);
    let op: string = r.pick(FEATBIT_OPERATORS);
    if (/Than/.test(op) && !NUMERIC.has(property)) op = r.pick(['Equal', 'IsOneOf']);
    if (/Regex/.test(op) && !REGEX_SAFE.has(property)) op = 'Equal';
    if (/^Is(True|False)$/.test(op)) return { property: 'beta', op, value: '' };
    const sample = () => this.sample(property);
    if (/Than/.test(op)) return { property, op, value: r.pick(NUMBERS) };
    if (/OneOf/.test(op)) return { property, op, value: JSON.stringify(r.times(0, 3, sample)) };
    if (/Contain|With/.test(op)) {
      const text = sample();
      const cut = r.int(0, text.length);
      return { property, op, value: op === 'EndsWith' ? text.slice(cut) : text.slice(0, cut) };
    }
    return { property, op, value: sample() };
  }

  private sample(property: string): string {
    const person = this.random.pick(this.persons);
    const user = featBitUserOf(person);
    if (property === 'keyId') return person.key;
    if (property === 'name') return person.name;
    return user.customizedProperties?.find((p) => p.name === property)?.value ?? '';
  }
}
