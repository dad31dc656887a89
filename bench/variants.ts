import { pathToFileURL } from 'node:url';
import { FbClientBuilder, type IUser } from '@featbit/node-server-sdk';
import { type FeatureApiResponse, GrowthBookClient, type UserContext } from '@growthbook/growthbook';
import { createFlagsClient, defineFlags, type EvaluationContext } from '../src/server/index';
import { evaluateParsedFeatBitFlag, type FeatBitFlag, type FeatBitUser, type ParsedFeatBitUser, parseFeatBitFlag, parseFeatBitSegments, parseFeatBitUser } from '../src/featbit';
import { Random } from '../test/support/random';
import { formatNs, measure, type Task } from './measure';

/**
 * One three-way flag, "headline" (34/33/33 by user key, German users always `bold`), written for flagwire's flags
 * file, for FeatBit and for GrowthBook, evaluated for the same users. The baselines are the two SDKs as a server
 * calls them, offline from a bootstrap payload: FeatBit's `stringVariation` (awaited), and GrowthBook's
 * multi-user `GrowthBookClient.getFeatureValue` with the user's attributes (its documented server-side path,
 * with no scoped instance or tracking callback: its cheapest).
 */
const USERS = 512;
const ROLLOUT_KEYS = 100_000;
const PAIRED_RUNS = 7;
/** The bench fails, rather than reports, a rollout share further than this from its weight. */
const MAX_SHARE_DEVIATION_PP = 1;
const VARIATIONS = ['control', 'bold', 'question'] as const;
const WEIGHTS = [34, 33, 33] as const;
const COUNTRIES = ['DE', 'FR', 'US', 'GB', 'ES'] as const;

type Variation = (typeof VARIATIONS)[number];

const FLAGS = defineFlags({
  headline: {
    variations: ['control', 'bold', 'question'],
    default: 'control',
    rollout: { control: 34, bold: 33, question: 33 },
    rules: [{ when: 'user.country = DE', value: 'bold' }],
  },
});

// FeatBit's shares are cumulative intervals in the order written, as the flags file compiles its rollout.
const cumulative = (i: number) => WEIGHTS.slice(0, i).reduce((sum, weight) => sum + weight, 0) / 100;
const FEATBIT_FLAG: FeatBitFlag = {
  id: 'headline',
  key: 'headline',
  name: 'headline',
  variationType: 'string',
  variations: VARIATIONS.map((value) => ({ id: value, value })),
  targetUsers: [],
  rules: [
    {
      id: 'rule-de',
      name: 'Germany',
      dispatchKey: null,
      includedInExpt: false,
      conditions: [{ property: 'country', op: 'Equal', value: 'DE' }],
      variations: [{ id: 'bold', rollout: [0, 1], exptRollout: 0 }],
    },
  ],
  isEnabled: true,
  disabledVariationId: 'control',
  exptIncludeAllTargets: false,
  fallthrough: {
    dispatchKey: null,
    includedInExpt: false,
    variations: VARIATIONS.map((id, i) => ({ id, rollout: [cumulative(i), cumulative(i + 1)] as [number, number], exptRollout: 0 })),
  },
  updatedAt: '2025-01-01T00:00:00.000Z',
};

// GrowthBook hashes differently (FNV-1a of seed + id), so its users land in other buckets; only the shares agree.
const GROWTHBOOK_PAYLOAD: FeatureApiResponse = {
  features: {
    headline: {
      defaultValue: 'control',
      rules: [
        { condition: { country: 'DE' }, force: 'bold' },
        { key: 'headline', variations: [...VARIATIONS], weights: WEIGHTS.map((weight) => weight / 100), hashAttribute: 'id', coverage: 1 },
      ],
    },
  },
};

/** One user in each evaluator's own shape, built once so that no evaluation pays for it. */
export interface BenchUser {
  key: string;
  country: string | undefined;
  context: EvaluationContext;
  featBitUser: IUser & FeatBitUser;
  parsedFeatBitUser: ParsedFeatBitUser;
  growthBookUser: UserContext;
}

export function benchUser(key: string, country?: string): BenchUser {
  const featBitUser = { key, name: key, customizedProperties: country === undefined ? [] : [{ name: 'country', value: country }] };
  return {
    key,
    country,
    context: country === undefined ? { user: { key } } : { user: { key }, attributes: { user: { country } } },
    featBitUser,
    parsedFeatBitUser: parseFeatBitUser(featBitUser),
    growthBookUser: { attributes: country === undefined ? { id: key } : { id: key, country } },
  };
}

export function benchUsers(count: number): BenchUser[] {
  const random = new Random(14);
  return Array.from({ length: count }, (_, i) => benchUser(`user-${i}`, random.pick(COUNTRIES)));
}

/** The four ways of evaluating "headline" for a user that the bench times. */
export interface VariantEvaluators {
  flagsFile: (user: BenchUser) => string;
  featBitParsed: (user: BenchUser) => string;
  featBitSdk: (user: BenchUser) => Promise<string>;
  featBitSdkSync: (user: BenchUser) => string;
  growthBook: (user: BenchUser) => string;
  close: () => Promise<void>;
}

export async function createVariantEvaluators(): Promise<VariantEvaluators> {
  const client = createFlagsClient({ flags: FLAGS });
  await client.ready();
  const bootstrap = JSON.stringify({ messageType: 'data-sync', data: { eventType: 'full', featureFlags: [FEATBIT_FLAG], segments: [] } });
  const sdk = new FbClientBuilder().offline(true).useJsonBootstrapProvider(bootstrap).logLevel('none').build();
  await sdk.waitForInitialization();
  const growthBook = new GrowthBookClient().initSync({ payload: GROWTHBOOK_PAYLOAD });
  const parsedFlag = parseFeatBitFlag(FEATBIT_FLAG);
  const segments = parseFeatBitSegments([]);
  const asString = (value: string) => ({ isSucceeded: true, value });
  return {
    // snapshotNow answers synchronously: the flags are loaded and the store is in memory.
    flagsFile: (user) => client.snapshotNow(user.context)!.variation('headline', 'control'),
    featBitParsed: (user) => String(evaluateParsedFeatBitFlag(parsedFlag, user.parsedFeatBitUser, segments).value),
    featBitSdk: (user) => sdk.stringVariation('headline', user.featBitUser, 'fallback'),
    featBitSdkSync: (user) => sdk.evaluateCore('headline', user.featBitUser, 'fallback', asString).value ?? 'fallback',
    growthBook: (user) => growthBook.getFeatureValue('headline', 'fallback', user.growthBookUser),
    close: async () => {
      growthBook.destroy();
      await Promise.all([client.close(), sdk.close()]);
    },
  };
}

/**
 * Throws unless the flags file and both FeatBit evaluators serve each user the same variation, and GrowthBook
 * serves German users `bold` and everyone a variation of the flag.
 */
export async function checkEvaluatorsAgree(evaluators: VariantEvaluators, users: readonly BenchUser[]): Promise<void> {
  for (const user of users) {
    const served = [evaluators.flagsFile(user), evaluators.featBitParsed(user), await evaluators.featBitSdk(user), evaluators.featBitSdkSync(user)];
    const growthBook = evaluators.growthBook(user);
    const expected = user.country === 'DE' ? 'bold' : served[0];
    const sameAsExpected = served.every((variation) => variation === expected);
    const growthBookFits = user.country === 'DE' ? growthBook === 'bold' : (VARIATIONS as readonly string[]).includes(growthBook);
    if (!sameAsExpected || !growthBookFits) throw new Error(`evaluators disagree for ${user.key} (${user.country}): ${[...served, growthBook].join(', ')}`);
  }
}

/** Keys `user-0`… through the flags file, counted per variation; and how many of them FeatBit's SDK serves otherwise. */
export async function rolloutCounts(evaluators: VariantEvaluators, keyCount: number): Promise<{ counts: Record<Variation, number>; disagreements: number }> {
  const counts: Record<Variation, number> = { control: 0, bold: 0, question: 0 };
  let disagreements = 0;
  for (let i = 0; i < keyCount; i++) {
    const user = benchUser(`user-${i}`);
    const variation = evaluators.flagsFile(user);
    if (!(variation in counts)) throw new Error(`the flags file served ${variation} to ${user.key}`);
    counts[variation as Variation]++;
    if ((await evaluators.featBitSdk(user)) !== variation) disagreements++;
  }
  return { counts, disagreements };
}

const speedUp = (baseline: number, ns: number) => `${(baseline / ns).toFixed(1)}×`;
const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;

async function evaluationSection(evaluators: VariantEvaluators): Promise<string[]> {
  const users = benchUsers(USERS);
  await checkEvaluatorsAgree(evaluators, users);
  const at = (i: number) => users[i & (USERS - 1)]!;
  const bare = users.map((user) => benchUser(user.key));
  const featBitTask: Task = { name: 'FeatBit Node SDK `stringVariation` (baseline: awaited, as an app calls it)', async: true, run: (i) => evaluators.featBitSdk(at(i)) };
  const growthBookTask: Task = { name: 'GrowthBook `GrowthBookClient.getFeatureValue` (baseline: sync, per-user attributes)', run: (i) => evaluators.growthBook(at(i)) };
  const flagsFileTask: Task = { name: 'flagwire flags file: `client.snapshotNow(context)!.variation(…)`', run: (i) => evaluators.flagsFile(at(i)) };
  const results = await measure([
    featBitTask,
    growthBookTask,
    flagsFileTask,
    // Where the flags file's time goes: the same keys without request-time attributes skip making and
    // overlaying a user for this request (and all fall through, since the rule reads the country).
    { name: 'flagwire flags file, same keys without `attributes`', run: (i) => evaluators.flagsFile(bare[i & (USERS - 1)]!) },
    { name: 'flagwire `evaluateParsedFeatBitFlag` on the FeatBit flag, parsed', run: (i) => evaluators.featBitParsed(at(i)) },
    { name: 'FeatBit Node SDK `evaluateCore` (sync, no promise)', run: (i) => evaluators.featBitSdkSync(at(i)) },
  ]);
  // The headline ratios, paired: short runs of the two baselines and the flags file alone, side by side, so the
  // slow and fast spells of a shared machine fall on all three alike; the median run counts.
  const overFeatBit: number[] = [];
  const overGrowthBook: number[] = [];
  for (let run = 0; run < PAIRED_RUNS; run++) {
    const [featBit, growthBook, flagsFile] = await measure([featBitTask, growthBookTask, flagsFileTask], { rounds: 10, targetBatchMs: 5 });
    overFeatBit.push(flagsFile!.nsPerOp / featBit!.nsPerOp);
    overGrowthBook.push(flagsFile!.nsPerOp / growthBook!.nsPerOp);
  }
  const [featBitNs, growthBookNs] = [results[0]!.nsPerOp, results[1]!.nsPerOp];
  const ratioLine = (name: string, ratios: number[]) => {
    const ratio = median(ratios);
    const verdict = ratio <= 1 ? `${(1 / ratio).toFixed(1)}× faster` : `${ratio.toFixed(1)}× slower`;
    return `${name} **${ratio.toFixed(3)}**, ${verdict} (runs ${Math.min(...ratios).toFixed(3)} – ${Math.max(...ratios).toFixed(3)})`;
  };
  return [
    '## Variations: one three-way flag, flagwire vs FeatBit and GrowthBook',
    '',
    `"headline": control/bold/question, 34/33/33 by user key, \`bold\` for users whose \`country\` is DE; ${USERS} users`,
    `(${users.filter((user) => user.country === 'DE').length} in DE), rotated. Before timing, the flags file and both FeatBit evaluators were checked to serve`,
    'every user the same variation, and GrowthBook `bold` to German users (its hash differs, so its buckets do too).',
    'Median of interleaved rounds; p10–p90 across rounds.',
    '',
    '| path | per evaluation | p10 – p90 | speed-up vs FeatBit SDK | speed-up vs GrowthBook |',
    '|---|---|---|---|---|',
    ...results.map((r) => `| ${r.name} | ${formatNs(r.nsPerOp)} | ${formatNs(r.p10)} – ${formatNs(r.p90)} | ${speedUp(featBitNs, r.nsPerOp)} | ${speedUp(growthBookNs, r.nsPerOp)} |`),
    '',
    `Paired (the two baselines and the flags file alone, side by side, ${PAIRED_RUNS} runs; median run), time per evaluation:`,
    `- ${ratioLine('flagwire / FeatBit Node SDK:', overFeatBit)}`,
    `- ${ratioLine('flagwire / GrowthBook:', overGrowthBook)}`,
  ];
}

async function rolloutSection(evaluators: VariantEvaluators): Promise<string[]> {
  const { counts, disagreements } = await rolloutCounts(evaluators, ROLLOUT_KEYS);
  const rows = VARIATIONS.map((name, i) => {
    const share = (counts[name] / ROLLOUT_KEYS) * 100;
    const deviation = share - WEIGHTS[i]!;
    if (Math.abs(deviation) > MAX_SHARE_DEVIATION_PP) throw new Error(`rollout share of ${name} is ${share.toFixed(2)}%, more than ${MAX_SHARE_DEVIATION_PP} pp from ${WEIGHTS[i]}%`);
    return `| ${name} | ${counts[name]} | ${share.toFixed(2)}% | ${WEIGHTS[i]}% | ${deviation >= 0 ? '+' : ''}${deviation.toFixed(2)} pp |`;
  });
  if (disagreements > 0) throw new Error(`FeatBit's Node SDK served ${disagreements} of ${ROLLOUT_KEYS} keys another variation than the flags file`);
  return [
    '',
    `### Rollout: ${ROLLOUT_KEYS.toLocaleString('en')} user keys through the flags file`,
    '',
    `Keys \`user-0\` … \`user-${ROLLOUT_KEYS - 1}\`, no country; the bench fails if a share is more than ${MAX_SHARE_DEVIATION_PP} pp off its weight.`,
    '',
    '| variation | users | share | weight | deviation |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    `FeatBit's Node SDK on the equivalent FeatBit flag: **${disagreements}** of ${ROLLOUT_KEYS.toLocaleString('en')} keys get another variation (the bench fails on any).`,
  ];
}

export async function variantsBench(): Promise<string> {
  const evaluators = await createVariantEvaluators();
  try {
    return [...(await evaluationSection(evaluators)), ...(await rolloutSection(evaluators))].join('\n');
  } finally {
    await evaluators.close();
  }
}

// `npx tsx bench/variants.ts` runs this bench alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) console.log(await variantsBench());
