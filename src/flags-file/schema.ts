import { z } from 'zod';
import { ROLLOUT_STEPS_PER_PERCENT } from './rollout-precision';

/**
 * The two flags-file formats. The concise format is what people write; the snapshot format holds Schematic
 * wire entities exactly as DataStream delivers them, so production data can be replayed locally.
 */
// Zod's own message for a failed union lists every branch; one sentence says what to write.
const scalar = z.union([z.string(), z.number(), z.boolean()], { error: 'a trait value is a string, number or boolean' });
const keys = z.record(z.string(), z.string()).refine((k) => Object.keys(k).length > 0, 'needs at least one key');

const when = z.union([z.string(), z.array(z.string()).min(1)], { error: '"when" is a condition, or a list of conditions that must all hold' });

/** A variation named where one is served: true or false for an on/off flag, else a name from `variations`. */
const variationRef = z.union([z.string(), z.number(), z.boolean()], {
  error: 'a variation: true or false for an on/off flag, else a name from "variations"',
});

/** The values a flag serves: a list (each value names itself) or an object of named JSON values. */
const variations = z.union(
  [
    z.array(z.union([z.string(), z.number()])).min(1, 'the list of variations is empty'),
    z.record(z.string().min(1), z.json()).refine((named) => Object.keys(named).length > 0, 'the object of variations is empty'),
  ],
  { error: '"variations" is a list of strings or numbers, or an object of named values' },
);


/** The sum as the weights were written: to as many decimals as the most precise weight has, without binary noise. */
function writtenSum(sum: number, weights: readonly number[]): string {
  const decimals = Math.min(100, Math.max(0, ...weights.map(decimalsOf)));
  const text = String(Number(sum.toFixed(decimals)));
  // Weights past a double's precision could round back to 100; the sum's own text is never "100" here.
  return text === '100' ? String(sum) : text;
}

/** `12.345` → 3, `1e-9` → 9: the decimals of a number's shortest text. */
function decimalsOf(value: number): number {
  const [mantissa = '', exponent = '0'] = String(value).split('e');
  return Math.max(0, (mantissa.split('.')[1]?.length ?? 0) - Number(exponent));
}

/**
 * Percent per variation name; shares are consecutive in the order written (but as in any JSON object read by
 * JavaScript, names that are whole numbers come first, in ascending order).
 */
const rollout = z
  .record(z.string(), z.number({ error: 'a rollout weight is a percentage: a number from 0 to 100' }).min(0, 'a rollout weight cannot be negative'))
  .superRefine((weights, context) => {
    const sum = Object.values(weights).reduce((total, weight) => total + weight, 0);
    // Shares are cut at 1e-8 % (see compile-variants), far finer than a bucket: a sum that rounds to 100 there is
    // 100, whatever binary rounding did to it (33.3 + 33.3 + 33.4 is 100.00000000000001).
    if (Math.round(sum * ROLLOUT_STEPS_PER_PERCENT) !== 100 * ROLLOUT_STEPS_PER_PERCENT) {
      context.addIssue({ code: 'custom', message: `rollout weights add up to ${writtenSum(sum, Object.values(weights))}, not 100` });
    }
  });

/** The attribute that keeps a rollout sticky. */
const BY_FORM = '"by" names an attribute: "user.key", "user.<attribute>" or "company.<attribute>"';
const by = z.string({ error: BY_FORM }).regex(/^(user|company)\.\S+$/, BY_FORM);

const rule = z.strictObject({
  /** Shown in reasons: `Matched standard rule "<name>"`. Defaults to the conditions' text. */
  name: z.string().min(1).optional(),
  /** Conditions, all of which must hold; a list inside one (`in [a, b]`) needs any one item. Absent: always. */
  when: when.optional(),
  /** What the flag serves when this rule matches: true/false, or a variation's name. On/off flags: true unless said. */
  value: variationRef.optional(),
  /** Instead of `value`: a percentage rollout over variations, sticky by `by`. */
  rollout: rollout.optional(),
  /** The rollout's sticky attribute. @default "user.key" */
  by: by.optional(),
  /** `entitlement` rules report usage against their limit; `override` rules win over plans and standard rules. */
  type: z.enum(['standard', 'entitlement', 'override']).default('standard'),
});

const flag = z.strictObject({
  description: z.string().optional(),
  /** What the flag can serve. Absent: an on/off flag (true/false). */
  variations: variations.optional(),
  /** Served when no rule matches (and no flag-level rollout), while off (unless `off`), and over an entitlement's limit. */
  default: variationRef.optional(),
  /** `false` serves everyone `off` (or the default). */
  enabled: z.boolean().default(true),
  off: variationRef.optional(),
  /** Served, as a percentage rollout, when no rule matches. */
  rollout: rollout.optional(),
  /** The fallthrough rollout's sticky attribute. @default "user.key" */
  by: by.optional(),
  /** Whether the value may be sent to browsers (flags are private by default). */
  client: z.boolean().default(false),
  rules: z.array(rule).default([]),
}).superRefine((flag, context) => {
  // Checked here rather than when compiling, so that it is reported with every other problem of the file.
  if (flag.variations !== undefined) return;
  const refs: [readonly (string | number)[], unknown][] = [
    [['default'], flag.default],
    [['off'], flag.off],
    ...flag.rules.map((r, i): [readonly (string | number)[], unknown] => [['rules', i, 'value'], r.value]),
  ];
  for (const [path, ref] of refs) {
    if (ref !== undefined && typeof ref !== 'boolean') context.addIssue({ code: 'custom', path: [...path], message: ON_OFF_VALUES });
  }
});

const ON_OFF_VALUES = 'an on/off flag serves true or false (add "variations" to serve other values)';

/** Reusable conditions: `in segment <name>` in a rule's `when` stands for all of them. */
const segment = z.strictObject({
  description: z.string().optional(),
  when,
});

const company = z.strictObject({
  id: z.string().min(1).optional(),
  keys,
  name: z.string().optional(),
  plan: z.string().min(1).optional(),
  plans: z.array(z.string().min(1)).optional(),
  traits: z.record(z.string(), scalar).default({}),
  /** Usage so far, by event name; counts against `company.usage.<event>` limits in every period. */
  usage: z.record(z.string(), z.number().int()).default({}),
});

const user = z.strictObject({
  id: z.string().min(1).optional(),
  keys,
  name: z.string().optional(),
  traits: z.record(z.string(), scalar).default({}),
});

export const conciseFileSchema = z.strictObject({
  $schema: z.string().optional(),
  flags: z.record(z.string().min(1), flag),
  segments: z.record(z.string().min(1), segment).default({}),
  companies: z.array(company).default([]),
  users: z.array(user).default([]),
});

export const SNAPSHOT_FORMAT = 'schematic-datastream';

export const snapshotFileSchema = z.strictObject({
  format: z.literal(SNAPSHOT_FORMAT),
  flags: z.array(z.unknown()),
  companies: z.array(z.unknown()).default([]),
  users: z.array(z.unknown()).default([]),
  /** Flag keys whose values may be sent to browsers. */
  client: z.array(z.string()).default([]),
});

export type ConciseFile = z.infer<typeof conciseFileSchema>;
export type ConciseFlag = z.infer<typeof flag>;
export type ConciseRule = z.infer<typeof rule>;
export type ConciseSegment = z.infer<typeof segment>;
export type ConciseRollout = z.infer<typeof rollout>;
export type VariationRef = z.infer<typeof variationRef>;
export type ConciseCompany = z.infer<typeof company>;
export type ConciseUser = z.infer<typeof user>;
export type SnapshotFile = z.infer<typeof snapshotFileSchema>;
/** What `defineFlags` accepts: the concise format's flags. */
export type FlagDeclarations = Record<string, z.input<typeof flag>>;
/** Segments declared in code (the `segments` option), in the concise format. */
export type SegmentDeclarations = Record<string, z.input<typeof segment>>;
