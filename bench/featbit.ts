import { FbClientBuilder, type IUser } from '@featbit/node-server-sdk';
import { evaluateFeatBitFlag, evaluateParsedFeatBitFlag, type FeatBitFlag, type FeatBitSegment, type FeatBitUser, parseFeatBitFlag, parseFeatBitSegments, parseFeatBitUser } from '../src/featbit';
import { Random } from '../test/support/random';
import { formatNs, measure, type Task } from './measure';

/**
 * flagwire's FeatBit evaluator against FeatBit's Node SDK on the same flags and users. The baseline is the SDK
 * called the way an app calls it (`boolVariation`/`stringVariation`/`numberVariation`, awaited), offline from a
 * JSON bootstrap, so it sends no events: its cheapest configuration.
 */
const USERS = 512;
const PAIRED_RUNS = 7;

const share = (id: string, start: number, end: number, exptRollout = 0) => ({ id, rollout: [start, end] as [number, number], exptRollout });
const rule = (name: string, conditions: FeatBitFlag['rules'][number]['conditions'], variations: FeatBitFlag['rules'][number]['variations'], dispatchKey: string | null = null) => ({
  id: `rule-${name}`,
  name,
  dispatchKey,
  includedInExpt: true,
  conditions,
  variations,
});

function flag(key: string, variationType: 'boolean' | 'string' | 'number', values: string[], parts: Partial<FeatBitFlag>): FeatBitFlag {
  const variations = values.map((value, i) => ({ id: `${key}-${i}`, value }));
  return {
    id: key,
    key,
    name: key,
    variationType,
    variations,
    targetUsers: [],
    rules: [],
    isEnabled: true,
    disabledVariationId: variations[0]!.id,
    exptIncludeAllTargets: false,
    fallthrough: { dispatchKey: null, includedInExpt: false, variations: [share(variations[0]!.id, 0, 1)] },
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...parts,
  };
}

const SEGMENTS: FeatBitSegment[] = [
  { id: 'seg-beta', name: 'Beta', included: ['user-1', 'user-7'], excluded: ['user-3'], rules: [{ conditions: [{ property: 'email', op: 'EndsWith', value: '@example.org' }] }] },
];

const FLAGS: FeatBitFlag[] = [
  flag('kill-switch', 'boolean', ['true', 'false'], { targetUsers: [{ keyIds: ['user-1', 'user-2'], variationId: 'kill-switch-1' }] }),
  flag('headline', 'string', ['control', 'one-page', 'two-page'], {
    fallthrough: { dispatchKey: null, includedInExpt: true, variations: [share('headline-0', 0, 0.34, 0.34), share('headline-1', 0.34, 0.67, 0.33), share('headline-2', 0.67, 1, 0.33)] },
  }),
  flag('pro-features', 'boolean', ['false', 'true'], {
    rules: [rule('Pro plans', [{ property: 'plan', op: 'IsOneOf', value: '["pro","enterprise"]' }], [share('pro-features-1', 0, 1)])],
  }),
  flag('age-gate', 'boolean', ['false', 'true'], {
    rules: [rule('Adults in FR', [{ property: 'age', op: 'BiggerEqualThan', value: '18' }, { property: 'country', op: 'Equal', value: 'FR' }], [share('age-gate-1', 0, 1)])],
  }),
  flag('beta-ui', 'boolean', ['false', 'true'], {
    rules: [rule('Beta segment', [{ property: 'User is in segment', op: null, value: '["seg-beta"]' }], [share('beta-ui-1', 0, 1)])],
  }),
  flag('rate-limit', 'number', ['100', '1000', '10000'], {
    rules: [
      rule('Enterprise', [{ property: 'plan', op: 'Equal', value: 'enterprise' }], [share('rate-limit-2', 0, 1)]),
      rule('Pro by company', [{ property: 'plan', op: 'StartsWith', value: 'pro' }], [share('rate-limit-1', 0, 0.5), share('rate-limit-0', 0.5, 1)], 'company'),
    ],
  }),
  flag('ios-checkout', 'boolean', ['false', 'true'], {
    rules: [rule('iOS', [{ property: 'device', op: 'MatchRegex', value: '^ios' }], [share('ios-checkout-1', 0, 0.25), share('ios-checkout-0', 0.25, 1)])],
  }),
  flag('maintenance', 'boolean', ['false', 'true'], { isEnabled: false }),
];

function users(): FeatBitUser[] {
  const random = new Random(11);
  return Array.from({ length: USERS }, (_, i) => ({
    key: `user-${i}`,
    name: `User ${i}`,
    customizedProperties: [
      { name: 'plan', value: random.pick(['free', 'pro', 'pro-trial', 'enterprise']) },
      { name: 'age', value: String(random.int(12, 70)) },
      { name: 'country', value: random.pick(['FR', 'US', 'GB']) },
      { name: 'email', value: `u${i}@${random.pick(['example.org', 'test.io'])}` },
      { name: 'device', value: random.pick(['ios', 'android', 'web']) },
      { name: 'company', value: `company-${random.int(1, 40)}` },
    ],
  }));
}

type Sdk = ReturnType<FbClientBuilder['build']>;

function sdkVariation(sdk: Sdk, featBitFlag: FeatBitFlag, user: IUser): Promise<unknown> {
  if (featBitFlag.variationType === 'boolean') return sdk.boolVariation(featBitFlag.key, user, false);
  if (featBitFlag.variationType === 'number') return sdk.numberVariation(featBitFlag.key, user, 0);
  return sdk.stringVariation(featBitFlag.key, user, 'fallback');
}

export async function featbitBench(): Promise<string> {
  const wireUsers = users();
  const bootstrap = JSON.stringify({ messageType: 'data-sync', data: { eventType: 'full', featureFlags: FLAGS, segments: SEGMENTS } });
  const sdk = new FbClientBuilder().offline(true).useJsonBootstrapProvider(bootstrap).logLevel('none').build();
  await sdk.waitForInitialization();
  const parsedFlags = FLAGS.map(parseFeatBitFlag);
  const segments = parseFeatBitSegments(SEGMENTS);
  const parsedUsers = wireUsers.map(parseFeatBitUser);
  // Every user gets every flag in turn: check i is flag i mod 8 for user ⌊i / 8⌋, laid out once.
  const checks = Array.from({ length: USERS * FLAGS.length }, (_, i) => {
    const f = i % FLAGS.length;
    const u = Math.floor(i / FLAGS.length);
    return { flag: FLAGS[f]!, parsedFlag: parsedFlags[f]!, user: wireUsers[u]! as IUser & FeatBitUser, parsedUser: parsedUsers[u]! };
  });
  const at = (i: number) => checks[i & (checks.length - 1)]!;

  // Sanity: both give the same variation for every check before anything is timed.
  const asString = (value: string) => ({ isSucceeded: true, value });
  for (const check of checks) {
    const expected = sdk.evaluateCore(check.flag.key, check.user, '<fallback>', asString).value;
    if (evaluateParsedFeatBitFlag(check.parsedFlag, check.parsedUser, segments).value !== expected) throw new Error(`FeatBit evaluators disagree on ${check.flag.key} for ${check.user.key}`);
  }

  const baselineTask: Task = {
    name: 'FeatBit Node SDK `*Variation` (baseline: awaited, as an app calls it)',
    async: true,
    run: (i) => {
      const check = at(i);
      return sdkVariation(sdk, check.flag, check.user);
    },
  };
  const hotTask: Task = {
    name: 'flagwire `evaluateParsedFeatBitFlag` on parsed forms (the hot path)',
    run: (i) => {
      const check = at(i);
      return evaluateParsedFeatBitFlag(check.parsedFlag, check.parsedUser, segments);
    },
  };
  const results = await measure([
    baselineTask,
    hotTask,
    {
      name: 'FeatBit Node SDK `evaluateCore` (sync, no promise)',
      run: (i) => {
        const check = at(i);
        return sdk.evaluateCore(check.flag.key, check.user, '', asString);
      },
    },
    {
      name: 'flagwire `evaluateFeatBitFlag` on wire JSON (parses flag, user and segments every check)',
      run: (i) => {
        const check = at(i);
        return evaluateFeatBitFlag(check.flag, check.user, SEGMENTS);
      },
    },
    {
      name: 'flagwire on parsed flag and segments, user parsed every check',
      run: (i) => {
        const check = at(i);
        return evaluateParsedFeatBitFlag(check.parsedFlag, parseFeatBitUser(check.user), segments);
      },
    },
  ]);
  // The headline ratio, paired: short runs of the baseline and the hot path alone, side by side, so that the
  // slow and fast spells of a throttled, shared machine fall on both alike; the median run counts.
  const paired: number[] = [];
  for (let run = 0; run < PAIRED_RUNS; run++) {
    const [base, hot] = await measure([baselineTask, hotTask], { rounds: 10, targetBatchMs: 5 });
    paired.push(base!.nsPerOp / hot!.nsPerOp);
  }
  paired.sort((x, y) => x - y);
  await sdk.close();
  const baseline = results[0]!.nsPerOp;
  const rows = results.map((r) => `| ${r.name} | ${formatNs(r.nsPerOp)} | ${formatNs(r.p10)} – ${formatNs(r.p90)} | ${(baseline / r.nsPerOp).toFixed(1)}× |`);
  const median = paired[Math.floor(paired.length / 2)]!;
  return [
    '## FeatBit evaluation: flagwire vs FeatBit Node SDK',
    '',
    `${FLAGS.length} FeatBit flags (targets, list/number/regex rules, a segment, 34/33/33 and by-company rollouts, a disabled flag)`,
    `for ${USERS} users, rotated; both evaluators were checked to give the same variation on all ${checks.length} checks first.`,
    'Median of interleaved rounds; p10–p90 across rounds.',
    '',
    '| path | per evaluation | p10 – p90 | speed-up vs baseline |',
    '|---|---|---|---|',
    ...rows,
    '',
    `Paired (baseline and hot path alone, side by side, ${PAIRED_RUNS} runs): the hot path is **${median.toFixed(1)}×** faster`,
    `per evaluation (median run; slowest ${paired[0]!.toFixed(1)}×, fastest ${paired[paired.length - 1]!.toFixed(1)}×).`,
  ].join('\n');
}
