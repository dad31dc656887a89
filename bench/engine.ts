import { createRequire } from 'node:module';
import { evaluate, parseCompany, parseFlag, parseUser, type ParsedFlag, type Subjects } from '../src/evaluators/schematic/engine';
import { evaluateFlag } from '../src/engine';
import { collectPools, fixtureFlags, makeCase } from '../test/support/fixture-cases';
import { Random } from '../test/support/random';
import type { GeneratedCase, JsonObject } from '../test/support/wire-generator';
import { formatNs, measure } from './measure';

/**
 * flagwire's engine against Schematic's WASM engine on the same checks: the 70 fixture flags with
 * generated companies and users. The baseline is the WASM engine called the way Schematic's Node SDK calls
 * it (`RulesEngineClient`: JSON in, JSON out, async).
 */
const require = createRequire(import.meta.url);
const { RulesEngineClient } = require('@schematichq/schematic-typescript-node') as {
  RulesEngineClient: new () => {
    initialize(): Promise<void>;
    checkFlagWithOptions(flag: object, company?: object | null, user?: object | null): Promise<{ value: boolean }>;
  };
};
const { RulesEngineJS } = require('@schematichq/schematic-typescript-node/dist/wasm/rulesengine.js') as {
  RulesEngineJS: new () => { checkFlagWithOptions(flag: string, company?: string, user?: string): string };
};

const INPUTS = 512;
const NOW = Date.UTC(2026, 10, 23, 12);

function buildCases(): GeneratedCase[] {
  const pools = collectPools();
  const random = new Random(42);
  return Array.from({ length: INPUTS }, (_, i) => ({ ...makeCase(random, pools, fixtureFlags[i % fixtureFlags.length] as JsonObject), options: undefined }));
}

export async function engineBench(): Promise<string> {
  const cases = buildCases();
  const parsed = cases.map((c) => ({
    flag: parseFlag(c.flag),
    subjects: { company: c.company ? parseCompany(c.company) : null, user: c.user ? parseUser(c.user) : null, options: null } as Subjects,
  }));
  const sdk = new RulesEngineClient();
  await sdk.initialize();
  const raw = new RulesEngineJS();
  const at = (i: number) => cases[i & (INPUTS - 1)] as GeneratedCase;

  // Sanity: all four paths agree on every input before anything is timed.
  for (let i = 0; i < INPUTS; i++) {
    const c = at(i);
    const expected = (await sdk.checkFlagWithOptions(c.flag, c.company ?? null, c.user ?? null)).value;
    const viaParsed = evaluate(parsed[i]!.flag, parsed[i]!.subjects, NOW).value;
    if (viaParsed !== expected || evaluateFlag(c.flag as never, c.company as never, c.user as never, { now: NOW }).value !== expected) {
      throw new Error(`engines disagree on input ${i}`);
    }
  }

  const results = await measure([
    {
      name: 'Schematic WASM via RulesEngineClient (baseline: JSON in/out, async)',
      async: true,
      run: (i) => {
        const c = at(i);
        return sdk.checkFlagWithOptions(c.flag, c.company ?? null, c.user ?? null);
      },
    },
    {
      name: 'Schematic WASM raw (JSON in/out, sync)',
      run: (i) => {
        const c = at(i);
        return JSON.parse(raw.checkFlagWithOptions(JSON.stringify(c.flag), c.company ? JSON.stringify(c.company) : undefined, c.user ? JSON.stringify(c.user) : undefined));
      },
    },
    {
      name: 'flagwire evaluateFlag on wire JSON (validates and parses every check)',
      run: (i) => {
        const c = at(i);
        return evaluateFlag(c.flag as never, c.company as never, c.user as never, { now: NOW });
      },
    },
    {
      name: 'flagwire on parsed entities (what the client does per check)',
      run: (i) => {
        const p = parsed[i & (INPUTS - 1)]!;
        return evaluate(p.flag, p.subjects, NOW);
      },
    },
  ]);
  const baseline = results[0]!.nsPerOp;
  const rows = results.map((r) => `| ${r.name} | ${formatNs(r.nsPerOp)} | ${formatNs(r.p10)} – ${formatNs(r.p90)} | ${(baseline / r.nsPerOp).toFixed(1)}× |`);

  const scale = await flagCountBench(parsed);
  return [
    '## Engine: one flag check',
    '',
    `${INPUTS} checks over Schematic's 70 fixture flags with generated companies and users, rotated; all four`,
    'paths were checked to agree on every input first. Median of interleaved rounds; p10–p90 across rounds.',
    '',
    '| path | per check | p10 – p90 | speed-up vs baseline |',
    '|---|---|---|---|',
    ...rows,
    '',
    scale,
  ].join('\n');
}

/** The cost of a check as the store grows: a key lookup plus an evaluation, for 10 to 10,000 flags. */
async function flagCountBench(parsed: { flag: ParsedFlag; subjects: Subjects }[]): Promise<string> {
  const sizes = [10, 100, 1000, 10_000];
  const random = new Random(7);
  const tasks = sizes.map((size) => {
    const store = new Map<string, ParsedFlag>();
    for (let i = 0; i < size; i++) {
      const source = fixtureFlags[i % fixtureFlags.length] as JsonObject;
      store.set(`flag_${i}`, parseFlag({ ...source, id: `flag_${i}`, key: `flag_${i}` }));
    }
    const keys = Array.from({ length: INPUTS }, () => `flag_${random.int(0, size - 1)}`);
    return {
      name: `${size} flags in the store`,
      run: (i: number) => {
        const j = i & (INPUTS - 1);
        return evaluate(store.get(keys[j]!)!, parsed[j]!.subjects, NOW);
      },
    };
  });
  const results = await measure(tasks);
  const smallest = results[0]!.nsPerOp;
  return [
    '## Engine: check cost as the number of flags grows',
    '',
    'Parsed flags in a `Map` by key (as the client holds them); each check looks a random key up and evaluates it.',
    '',
    '| flags in store | per check | p10 – p90 | relative to 10 flags |',
    '|---|---|---|---|',
    ...results.map((r) => `| ${r.name.split(' ')[0]} | ${formatNs(r.nsPerOp)} | ${formatNs(r.p10)} – ${formatNs(r.p90)} | ${(r.nsPerOp / smallest).toFixed(2)}× |`),
  ].join('\n');
}
