import { z } from 'zod';

/**
 * The two flags-file formats. The concise format is what people write; the snapshot format holds Schematic
 * wire entities exactly as DataStream delivers them, so production data can be replayed locally.
 */
// Zod's own message for a failed union lists every branch; one sentence says what to write.
const scalar = z.union([z.string(), z.number(), z.boolean()], { error: 'a trait value is a string, number or boolean' });
const keys = z.record(z.string(), z.string()).refine((k) => Object.keys(k).length > 0, 'needs at least one key');

const rule = z.strictObject({
  /** Shown in reasons: `Matched standard rule "<name>"`. Defaults to the conditions' text. */
  name: z.string().min(1).optional(),
  /** Conditions, all of which must hold; a list inside one (`in [a, b]`) needs any one item. Absent: always. */
  when: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
  /** The value the flag takes when this rule matches. */
  value: z.boolean().default(true),
  /** `entitlement` rules report usage against their limit; `override` rules win over plans and standard rules. */
  type: z.enum(['standard', 'entitlement', 'override']).default('standard'),
});

const flag = z.strictObject({
  description: z.string().optional(),
  default: z.boolean().default(false),
  /** Whether the value may be sent to browsers (flags are private by default). */
  client: z.boolean().default(false),
  rules: z.array(rule).default([]),
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
export type ConciseCompany = z.infer<typeof company>;
export type ConciseUser = z.infer<typeof user>;
export type SnapshotFile = z.infer<typeof snapshotFileSchema>;
/** What `defineFlags` accepts: the concise format's flags. */
export type FlagDeclarations = Record<string, z.input<typeof flag>>;
