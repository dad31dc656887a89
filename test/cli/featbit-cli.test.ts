import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index';
import { dispatchBucket } from '../../src/evaluators/featbit/dispatch';
import type { FeatBitFlag, FeatBitRule, FeatBitSegment } from '../../src/evaluators/featbit/wire-types';
import { featBitFlag } from '../support/featbit-builders';
import { tempFlagsFile } from '../support/flags-files';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** A FeatBit bootstrap file, pretty-printed (so problems land on lines of their own); returns its path and text. */
function featBitFile(flags: FeatBitFlag[], segments: FeatBitSegment[] = []): { file: string; text: string } {
  const text = JSON.stringify({ messageType: 'data-sync', data: { eventType: 'full', featureFlags: flags, segments } }, null, 2);
  const files = tempFlagsFile(text);
  cleanups.push(files.cleanup);
  return { file: files.file, text };
}

/** The 1-based line of the first line of `text` containing `needle` after the `nth` one. */
function lineOf(text: string, needle: string, nth = 0): number {
  const lines = text.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i]!.includes(needle) && seen++ === nth) return i + 1;
  throw new Error(`${needle} is not in the file`);
}

const rule = (overrides: Partial<FeatBitRule>): FeatBitRule => ({ id: 'r', name: 'Rule', dispatchKey: null, includedInExpt: false, conditions: [], variations: [{ id: 'on', rollout: [0, 1], exptRollout: 0 }], ...overrides });
const betaTesters: FeatBitSegment = { id: 'beta-testers', name: 'Beta testers', included: ['ada'], excluded: [], rules: [], updatedAt: '2025-01-01T00:00:00.000Z' };

describe('flagwire validate on a FeatBit bootstrap file, in depth', () => {
  it('reports variation ids that do not exist, rollout gaps and overlaps, unknown operators and missing segments, each at file:line:column', async () => {
    const broken = featBitFlag({
      key: 'checkout',
      rules: [
        rule({ name: 'Gone', variations: [{ id: 'v-gone', rollout: [0, 1], exptRollout: 0 }] }),
        rule({ name: 'Gap', variations: [{ id: 'on', rollout: [0, 0.4], exptRollout: 0 }, { id: 'off', rollout: [0.5, 1], exptRollout: 0 }] }),
        rule({ name: 'Overlap', variations: [{ id: 'on', rollout: [0, 0.6], exptRollout: 0 }, { id: 'off', rollout: [0.5, 1], exptRollout: 0 }] }),
        rule({ name: 'Typo', conditions: [{ property: 'plan', op: 'IsOneof', value: '["pro"]' }] }),
        rule({ name: 'Segment', conditions: [{ property: 'User is in segment', op: null, value: '["beta-tester"]' }] }),
      ],
      fallthrough: { dispatchKey: null, includedInExpt: false, variations: [{ id: 'off', rollout: [0, 0.99], exptRollout: 0 }] },
    });
    const { file, text } = featBitFile([broken], [betaTesters]);
    const { code, out, err } = await run(['validate', file]);
    expect(code).toBe(1);
    expect(out).toEqual([]);
    const at = (needle: string, nth = 0) => `${file}:${lineOf(text, needle, nth)}:`;
    expect(err).toEqual([
      expect.stringMatching(`^${at('"v-gone"')}\\d+ data.featureFlags.0.rules.0.variations.0.id: the flag has no variation "v-gone"$`),
      expect.stringMatching(`^${file}:\\d+:\\d+ data.featureFlags.0.rules.1.variations: the rollout leaves buckets 0.4 to 0.5 uncovered: users there get an error$`),
      expect.stringMatching(`^${file}:\\d+:\\d+ data.featureFlags.0.rules.2.variations.1.rollout: overlaps an earlier share on 0.5 to 0.6: users there get whichever share comes first$`),
      expect.stringMatching(`^${at('"IsOneof"')}\\d+ data.featureFlags.0.rules.3.conditions.0.op: unknown operator "IsOneof" \\(did you mean "IsOneOf"\\?\\): the condition never holds`),
      expect.stringMatching(`^${at('beta-tester\\"')}\\d+ data.featureFlags.0.rules.4.conditions.0.value: no segment "beta-tester" in the file \\(did you mean "beta-testers"\\?\\)$`),
      expect.stringMatching(`^${file}:\\d+:\\d+ data.featureFlags.0.fallthrough.variations: the rollout leaves buckets 0.99 to 1 uncovered: users there get an error$`),
    ]);
  });

  it('reports a bad condition value in a segment rule, and passes a file whose rollouts, operators and segments are sound', async () => {
    const segment: FeatBitSegment = { ...betaTesters, rules: [{ id: 's', name: 'Emails', conditions: [{ property: 'email', op: 'MatchRegex', value: '(?<=@)corp' }] }] };
    const { file } = featBitFile([featBitFlag()], [segment]);
    const { code, err } = await run(['validate', file]);
    expect(code).toBe(1);
    expect(err).toEqual([expect.stringMatching(/^.*:\d+:\d+ data\.segments\.0\.rules\.0\.conditions\.0\.value: the regular expression "\(\?<=@\)corp" uses a lookbehind/)]);

    const sound = featBitFlag({
      key: 'split',
      rules: [
        rule({ conditions: [{ property: 'User is in segment', op: null, value: '["beta-testers"]' }, { property: 'plan', op: 'IsOneOf', value: '["pro"]' }] }),
        // Shares meeting at an edge, a zero-width share, and FeatBit's near-one shortcut are all sound.
        rule({ variations: [{ id: 'on', rollout: [0.3, 1], exptRollout: 0 }, { id: 'off', rollout: [0, 0.3], exptRollout: 0 }, { id: 'on', rollout: [0, 0], exptRollout: 0 }] }),
      ],
      fallthrough: { dispatchKey: null, includedInExpt: false, variations: [{ id: 'off', rollout: [0, 0.999995], exptRollout: 0 }] },
    });
    const valid = featBitFile([sound, featBitFlag({ key: 'archived', isArchived: true, rules: [rule({ variations: [{ id: 'v-gone', rollout: [0, 1], exptRollout: 0 }] })] })], [betaTesters]);
    expect(await run(['validate', valid.file])).toEqual({ code: 0, out: [expect.stringMatching(/1 flag, 0 companies, 0 users — valid \(FeatBit bootstrap\)$/)], err: [] });
  });
});

describe('flagwire explain on a FeatBit flag', () => {
  const headline = featBitFlag({
    key: 'headline',
    variationType: 'string',
    variations: [
      { id: 'v-control', value: 'control' },
      { id: 'v-bold', value: 'bold' },
    ],
    disabledVariationId: 'v-control',
    targetUsers: [{ keyIds: ['vip'], variationId: 'v-bold' }],
    rules: [
      rule({ id: 'r-beta', name: 'Beta testers', conditions: [{ property: 'User is in segment', op: null, value: '["beta-testers"]' }], variations: [{ id: 'v-bold', rollout: [0, 1], exptRollout: 0 }] }),
      rule({
        id: 'r-de',
        name: 'Germany',
        conditions: [
          { property: 'country', op: 'Equal', value: 'DE' },
          { property: 'age', op: 'BiggerThan', value: '18' },
        ],
        dispatchKey: 'company',
        variations: [
          { id: 'v-control', rollout: [0, 0.5], exptRollout: 0 },
          { id: 'v-bold', rollout: [0.5, 1], exptRollout: 0 },
        ],
      }),
    ],
    fallthrough: { dispatchKey: null, includedInExpt: false, variations: [{ id: 'v-control', rollout: [0, 1], exptRollout: 0 }] },
  });

  it('shows the targets, each rule with every condition’s verdict, the rollout and bucket that decided, and what was served', async () => {
    const { file } = featBitFile([headline], [betaTesters]);
    const { code, out, err } = await run(['explain', 'headline', '--user', 'key=bob', '--attr', 'user.country=DE', '--attr', 'user.age= 30', '--attr', 'user.company=acme', '--file', file]);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const bucket = dispatchBucket('headlineacme');
    const served = bucket <= 0.5 ? ['"control"', 'v-control'] : ['"bold"', 'v-bold'];
    expect(out).toEqual([
      `headline: ${served[0]} (variation ${served[1]}) — match rule Germany [rule_match]`,
      'targets: 1 user key targeted; "bob" is not one of them',
      '1. rule "Beta testers" → "bold" (v-bold) : did not match',
      '     ✗ User is in segment ["beta-testers"]',
      `2. rule "Germany" → rollout "control" 50% / "bold" 50% by company: bucket ${bucket.toFixed(6)} → ${served[0]} (${served[1]}) : matched`,
      '     ✓ country Equal "DE" (user: "DE")',
      '     ✓ age BiggerThan "18" (user: " 30")',
      'otherwise → "control" (v-control)',
    ]);
  });

  it('says when a target decides and that later rules were not reached, and shows a missing attribute failing its condition', async () => {
    const { file } = featBitFile([headline], [betaTesters]);
    const targeted = await run(['explain', 'headline', '--user', 'key=vip', '--file', file]);
    expect(targeted.out.slice(0, 3)).toEqual(['headline: "bold" (variation v-bold) — target match [target_match]', 'targets: 1 user key targeted; "vip" is one of them', '1. rule "Beta testers" → "bold" (v-bold) : not reached']);
    const fallthrough = await run(['explain', 'headline', '--user', 'key=carol', '--attr', 'user.country=FR', '--file', file]);
    expect(fallthrough.out).toContain('     ✗ country Equal "DE" (user: "FR")');
    expect(fallthrough.out).toContain('     ✗ age BiggerThan "18" (user: no such attribute)');
    expect(fallthrough.out.at(-1)).toBe('otherwise → "control" (v-control)');
    expect(fallthrough.out[0]).toBe('headline: "control" (variation v-control) — fall through targets and rules [fallthrough]');
    expect((await run(['explain', 'headline', '--file', file])).err).toEqual(['FeatBit evaluates a flag for a user key: give one with --user key=... (or --company key=...)']);
  });
});
