import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import { flagsMiddleware } from '../src/express/index';
import { createFlagsClient, type EvaluationContext, type FlagsClient, type FlagValue } from '../src/server/index';
import { type FeatBitFlag } from '../src/featbit';
import { Random } from '../test/support/random';

/**
 * The apps the FeatBit Express bench compares, and their flags: 20 flags of four value types (string, number,
 * JSON, boolean) and five shapes (one value for everyone, a rule on a custom property, a 34/33/33 or 50/50
 * rollout by user key, a rollout inside a rule, a numeric rule), written once as FeatBit flags and once in the
 * flags file's concise format, so that both serve every bench user the same values (test/bench checks it).
 */
export const FEATBIT_READS = 20;
export const BENCH_USERS = 100;
export const FEATBIT_APP_KINDS = ['bare', 'featbit', 'featbit-no-insights', 'file'] as const;
export type FeatBitAppKind = (typeof FEATBIT_APP_KINDS)[number];

const TYPES = ['string', 'number', 'json', 'boolean'] as const;
const SHAPES = ['everyone', 'plan-rule', 'rollout', 'country-rollout', 'age-rule'] as const;
type ValueType = (typeof TYPES)[number];
type Shape = (typeof SHAPES)[number];

/** Named values per type: FeatBit stores each as text, the flags file as itself. */
const VALUES: Record<ValueType, Record<string, FlagValue>> = {
  string: { control: 'control', bold: 'bold', question: 'question' },
  number: { low: 100, mid: 1000, high: 10_000 },
  json: { narrow: { columns: 1 }, wide: { columns: 2, sidebar: true }, widest: { columns: 3, sidebar: true } },
  boolean: { true: true, false: false },
};
/** What a read passes as its default: of the flag's type, so every read answers the flag's value. */
const FALLBACKS: Record<ValueType, FlagValue> = { string: 'none', number: 0, json: {}, boolean: false };

interface BenchFlag {
  key: string;
  type: ValueType;
  shape: Shape;
  names: string[];
}

/** Flag i has type i mod 4 and shape i mod 5: each of the 20 pairs once. */
export const BENCH_FLAGS: readonly BenchFlag[] = Array.from({ length: FEATBIT_READS }, (_, i) => {
  const type = TYPES[i % TYPES.length]!;
  const shape = SHAPES[i % SHAPES.length]!;
  return { key: `${shape}-${type}-${i}`, type, shape, names: Object.keys(VALUES[type]) };
});

/** What the route reads, in order: each flag's key and the default it passes. */
export const READS: readonly { key: string; fallback: FlagValue }[] = BENCH_FLAGS.map((flag) => ({ key: flag.key, fallback: FALLBACKS[flag.type] }));

/** What the bare app renders: one value of each flag's type, as constants. */
const CONSTANTS: readonly [string, FlagValue][] = BENCH_FLAGS.map((flag) => [flag.key, VALUES[flag.type][flag.names[0]!]!]);

/** 100 users with the custom properties the rules read, as request contexts (built once, rotated). */
export const BENCH_CONTEXTS: readonly EvaluationContext[] = (() => {
  const random = new Random(15);
  return Array.from({ length: BENCH_USERS }, (_, i) => ({
    user: { key: `user-${i}` },
    attributes: { user: { plan: random.pick(['free', 'pro', 'enterprise', 'pro-trial']), country: random.pick(['DE', 'FR', 'US', 'GB']), age: random.int(12, 70) } },
  }));
})();

/**
 * What each shape serves, by variation name: `served` to everyone (`everyone`) or to whom the rule matches,
 * `otherwise` when no rule matches; rollouts split the variations in the order listed.
 */
function outcomes(flag: BenchFlag): { served: string; otherwise: string } {
  // On/off flags serve true when a rule matches and false otherwise, as the flags file's on/off flags do.
  if (flag.type === 'boolean') return { served: 'true', otherwise: 'false' };
  return { served: flag.names[1]!, otherwise: flag.names[0]! };
}
const rolloutNames = (flag: BenchFlag) => (flag.shape === 'country-rollout' ? flag.names.slice(0, 2) : flag.names);
const weightsOf = (names: readonly string[]) => (names.length === 3 ? [34, 33, 33] : [50, 50]);

// FeatBit's side. Rollout shares are cumulative intervals, as the flags file compiles its percentages.
const variationId = (flag: BenchFlag, name: string) => `${flag.key}-${name}`;
const everyone = (flag: BenchFlag, name: string) => [{ id: variationId(flag, name), rollout: [0, 1] as [number, number], exptRollout: 0 }];

function featBitRollout(flag: BenchFlag): { id: string; rollout: [number, number]; exptRollout: number }[] {
  const names = rolloutNames(flag);
  let percent = 0;
  return weightsOf(names).map((weight, i) => {
    const start = percent / 100;
    percent += weight;
    return { id: variationId(flag, names[i]!), rollout: [start, i === names.length - 1 ? 1 : percent / 100] as [number, number], exptRollout: 0 };
  });
}

const CONDITIONS: Partial<Record<Shape, { property: string; op: string; value: string }>> = {
  'plan-rule': { property: 'plan', op: 'IsOneOf', value: '["pro","enterprise"]' },
  'country-rollout': { property: 'country', op: 'Equal', value: 'DE' },
  'age-rule': { property: 'age', op: 'BiggerEqualThan', value: '18' },
};

const textOf = (value: FlagValue) => (typeof value === 'string' ? value : JSON.stringify(value));

function featBitFlag(flag: BenchFlag): FeatBitFlag {
  const { served, otherwise } = outcomes(flag);
  const condition = CONDITIONS[flag.shape];
  const ruleServes = flag.shape === 'country-rollout' ? featBitRollout(flag) : everyone(flag, served);
  const fallthrough = flag.shape === 'everyone' ? everyone(flag, served) : flag.shape === 'rollout' ? featBitRollout(flag) : everyone(flag, otherwise);
  return {
    id: flag.key,
    key: flag.key,
    name: flag.key,
    variationType: flag.type,
    variations: flag.names.map((name) => ({ id: variationId(flag, name), value: textOf(VALUES[flag.type][name]!) })),
    targetUsers: [],
    rules: condition ? [{ id: `${flag.key}-rule`, name: flag.shape, dispatchKey: null, includedInExpt: false, conditions: [condition], variations: ruleServes }] : [],
    isEnabled: true,
    disabledVariationId: variationId(flag, otherwise),
    exptIncludeAllTargets: false,
    fallthrough: { dispatchKey: null, includedInExpt: false, variations: fallthrough },
    updatedAt: '2025-01-01T00:00:00.000Z',
  };
}

export const BENCH_FEATBIT_FLAGS: readonly FeatBitFlag[] = BENCH_FLAGS.map(featBitFlag);

// The flags file's side: the same flags in the concise format.
const WHEN: Partial<Record<Shape, string>> = { 'plan-rule': 'user.plan in [pro, enterprise]', 'country-rollout': 'user.country = DE', 'age-rule': 'user.age >= 18' };

function conciseFlag(flag: BenchFlag): Record<string, unknown> {
  const { served, otherwise } = outcomes(flag);
  const names = rolloutNames(flag);
  const rollout = Object.fromEntries(names.map((name, i) => [name, weightsOf(names)[i]]));
  const when = WHEN[flag.shape];
  const boolean = flag.type === 'boolean';
  const rules = flag.shape === 'country-rollout' ? [{ when, rollout }] : when ? [{ when, ...(boolean ? {} : { value: served }) }] : [];
  const fallthrough = flag.shape === 'rollout' ? { rollout } : {};
  const defaultName = flag.shape === 'everyone' ? served : otherwise;
  if (boolean) return { ...(defaultName === 'true' ? { default: true } : {}), ...fallthrough, rules };
  return { variations: VALUES[flag.type], default: defaultName, ...fallthrough, rules };
}

export const BENCH_FLAGS_FILE = { flags: Object.fromEntries(BENCH_FLAGS.map((flag) => [flag.key, conciseFlag(flag)])) };

/** Where a FeatBit-mode app syncs from and sends its insights. */
export interface FeatBitEndpoints {
  envSecret: string;
  streamingUri: string;
  eventsUri: string;
}

/** The flagwire client each app kind reads through; `null` for bare Express. `dir` receives the flags file. */
export function createBenchClient(kind: FeatBitAppKind, dir: string, featbit: FeatBitEndpoints): FlagsClient | null {
  if (kind === 'bare') return null;
  if (kind === 'file') {
    const file = join(dir, 'flagwire.flags.json');
    writeFileSync(file, JSON.stringify(BENCH_FLAGS_FILE));
    return createFlagsClient({ flagsFile: file, watch: false, logLevel: 'silent' });
  }
  return createFlagsClient({ featbit: { ...featbit, sendEvents: kind === 'featbit' }, logLevel: 'silent' });
}

/** The page: one line per flag. Every app renders through it, the bare one its constants. */
export function renderFlags(entries: readonly (readonly [string, FlagValue])[]): string {
  let html = '<ul>';
  for (const [key, value] of entries) html += `<li>${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}</li>`;
  return `${html}</ul>`;
}

/**
 * - `bare`: Express rendering 20 constants.
 * - the others: the same plus `flagsMiddleware` for the next of 100 users in turn, the route reading all 20
 *   flags with `req.flags.variation(key, default)` and rendering what they serve.
 */
export function featBitBenchApp(client: FlagsClient | null): express.Express {
  const app = express();
  if (client === null) {
    app.get('/', (_req, res) => res.send(renderFlags(CONSTANTS)));
    return app;
  }
  let n = 0;
  app.use(flagsMiddleware(client, { context: () => BENCH_CONTEXTS[n++ % BENCH_USERS]! }));
  app.get('/', (req, res) => res.send(renderFlags(READS.map(({ key, fallback }) => [key, req.flags.variation(key, fallback)] as const))));
  return app;
}
