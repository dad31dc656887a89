import { afterEach, describe, expect, it } from 'vitest';
import { createFlagsClient, type EvaluationContext, type FlagsClient } from '../../src/server/index';
import { recordingLogger, tempFlagsFile } from '../support/flags-files';

/**
 * `checkFlag` and `variation` answer from value-only paths when nothing else is asked (no preflight, no check
 * events): no whole result, no snapshot. They must answer exactly what the whole paths do —
 * `checkFlagWithEntitlement(…).value` and `variationDetail(…).value` — for stored and unknown users and
 * companies, with and without request attributes, for every kind of flag, whichever path reads a flag first
 * (what one keeps, the other may then read).
 */
const FLAGS_FILE = {
  flags: {
    'paid-plans': { rules: [{ when: 'company.plan in [pro, enterprise]' }] },
    admins: { rules: [{ when: 'user.role = admin' }] },
    'eu-banner': { rules: [{ when: 'user.country in [DE, FR, ES, IT]' }] },
    'by-email': { rules: [{ when: 'user.email = ada@acme.test' }] },
    exports: { rules: [{ type: 'entitlement', when: ['company.plan = pro', 'company.usage.exports per month < 3'] }] },
    'new-checkout': { rollout: { true: 30, false: 70 } },
    'switched-off': { enabled: false, rules: [{ when: 'user.role = admin' }] },
    headline: { variations: ['control', 'bold', 'question'], default: 'control', rollout: { control: 34, bold: 33, question: 33 }, rules: [{ when: 'user.country = DE', value: 'bold' }] },
    layout: { variations: { narrow: { columns: 1 }, wide: { columns: 2 } }, default: 'narrow', rules: [{ when: 'company.plan = enterprise', value: 'wide' }] },
    'by-company': { variations: ['a', 'b'], default: 'a', rollout: { a: 50, b: 50 }, by: 'company.key' },
    'on-variant': { variations: { on: true, off: false }, default: 'off', rollout: { on: 50, off: 50 } },
  },
  companies: [
    { id: 'acme', keys: { domain: 'acme.test' }, plan: 'pro', usage: { exports: 1 } },
    { id: 'initech', keys: { domain: 'initech.test' }, plan: 'enterprise' },
  ],
  users: [
    { id: 'ada', keys: { email: 'ada@acme.test' }, traits: { role: 'admin', country: 'FR' } },
    { id: 'bob', keys: { email: 'bob@acme.test' }, traits: { role: 'member' } },
  ],
};

const FLAG_KEYS = [...Object.keys(FLAGS_FILE.flags), 'no-such-flag'];

const CONTEXTS: EvaluationContext[] = [
  {},
  { user: { id: 'ada' } },
  { user: { email: 'bob@acme.test' }, company: { domain: 'acme.test' } },
  { user: { id: 'ada' }, attributes: { user: { country: 'DE', role: 'member' } } },
  { user: { key: 'visitor-1' } },
  { user: { key: 'visitor-2' }, attributes: { user: { country: 'DE' } } },
  { user: { key: 'visitor-3', email: 'ada@acme.test' }, company: { domain: 'initech.test' } },
  { user: { key: 'visitor-4' }, company: { key: 'unknown-co' }, attributes: { company: { plan: 'enterprise' } } },
  { company: { id: 'acme' }, attributes: { company: { plan: 'free' } } },
  ...Array.from({ length: 40 }, (_, i): EvaluationContext => ({ user: { key: `v-${i}` }, company: { key: `c-${i % 7}` }, attributes: { user: { country: i % 3 === 0 ? 'DE' : 'US' } } })),
];

/** Defaults of each type a caller may give, the flag's own type among them. */
const DEFAULTS = [false, true, 'fallback', 0, { columns: 0 }];

const clients: FlagsClient[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  cleanups.splice(0).forEach((cleanup) => cleanup());
});

async function start(): Promise<FlagsClient> {
  const { file, cleanup } = tempFlagsFile(FLAGS_FILE);
  cleanups.push(cleanup);
  const { lines, logger } = recordingLogger();
  const client = createFlagsClient({ flagsFile: file, watch: false, logger });
  clients.push(client);
  expect({ status: await client.ready(), errors: lines.filter(({ level }) => level === 'error') }).toEqual({ status: 'ready', errors: [] });
  return client;
}

interface Answers {
  checks: boolean[];
  variations: unknown[];
}

async function fastAnswers(client: FlagsClient): Promise<Answers> {
  const answers: Answers = { checks: [], variations: [] };
  for (const context of CONTEXTS) {
    for (const key of FLAG_KEYS) {
      answers.checks.push(await client.checkFlag(context, key), await client.checkFlag(context, key, { defaultValue: true }));
      for (const defaultValue of DEFAULTS) answers.variations.push(await client.variation(context, key, defaultValue));
    }
  }
  return answers;
}

async function wholeAnswers(client: FlagsClient): Promise<Answers> {
  const answers: Answers = { checks: [], variations: [] };
  for (const context of CONTEXTS) {
    for (const key of FLAG_KEYS) {
      answers.checks.push((await client.checkFlagWithEntitlement(context, key)).value, (await client.checkFlagWithEntitlement(context, key, { defaultValue: true })).value);
      for (const defaultValue of DEFAULTS) answers.variations.push((await client.variationDetail(context, key, defaultValue)).value);
    }
  }
  return answers;
}

describe('the value-only paths of checkFlag and variation', () => {
  it('answer what the whole results say, whichever path reads first, twice over', async () => {
    const fastFirst = await start();
    const fastThenWhole = [await fastAnswers(fastFirst), await wholeAnswers(fastFirst), await fastAnswers(fastFirst)];
    const wholeFirst = await start();
    const wholeThenFast = [await wholeAnswers(wholeFirst), await fastAnswers(wholeFirst), await wholeAnswers(wholeFirst)];
    for (const answers of [...fastThenWhole, ...wholeThenFast]) expect(answers).toEqual(fastThenWhole[0]);
    // Not a grid of one answer: the flags and contexts above serve both values and several variations.
    expect(new Set(fastThenWhole[0]!.checks)).toEqual(new Set([true, false]));
    expect(new Set(fastThenWhole[0]!.variations.filter((value) => typeof value === 'string'))).toEqual(new Set(['control', 'bold', 'question', 'a', 'b', 'fallback']));
  });

  it('leave a check with preflight usage to the whole path, which reports its usage', async () => {
    const client = await start();
    const context: EvaluationContext = { company: { domain: 'acme.test' } };
    const twoExports = { eventSubtype: 'exports', quantity: 2 };
    expect(await client.checkFlag(context, 'exports')).toBe(true);
    // Two exports about to be made, over the one on record, reach the limit of 3.
    expect(await client.checkFlag(context, 'exports', { eventUsage: twoExports })).toBe(false);
    expect(await client.checkFlag({ ...context, preflight: { eventUsage: twoExports } }, 'exports')).toBe(false);
    expect(await client.checkFlag(context, 'exports')).toBe(true);
  });
});
