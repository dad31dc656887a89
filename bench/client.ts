import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, parseCompany, parseUser, type Subjects } from '../src/evaluators/schematic/engine';
import { loadFlagsText } from '../src/engine/index';
import { createFlagsClient } from '../src/server/index';
import { Random } from '../test/support/random';
import { formatNs, measure } from './measure';

/**
 * The client on its embedded default: what one request costs when it takes a snapshot and reads 20 flags,
 * and what a single `checkFlag` costs, with the engine-only cost of the same evaluations beside them.
 */
const FLAG_COUNT = 20;
const COMPANIES = 1000;
const PLANS = ['free', 'starter', 'pro', 'enterprise'];
const ROLES = ['viewer', 'editor', 'admin', 'owner'];

function flagsFile(random: Random) {
  const flags: Record<string, unknown> = {};
  for (let i = 0; i < FLAG_COUNT; i++) {
    const rules = [
      [{ type: 'override', when: `company.id in [company-${i}, company-${i + 7}]` }],
      [{ type: 'entitlement', when: [`company.plan in [pro, enterprise]`, `company.usage.exports per month < ${10 + i}`] }],
      [{ when: `user.role in [admin, owner]` }, { when: `company.seats >= ${20 + i}` }],
      [{ when: ['company.plan = enterprise', 'user.beta = true'] }, { when: 'company.region = eu', value: false }],
    ][i % 4];
    flags[`flag-${i}`] = { client: i % 2 === 0, rules };
  }
  const companies = Array.from({ length: COMPANIES }, (_, i) => ({
    id: `company-${i}`,
    keys: { domain: `company-${i}.test` },
    plan: random.pick(PLANS),
    traits: { seats: random.int(1, 200), region: random.pick(['eu', 'us', 'apac']) },
    usage: { exports: random.int(0, 40) },
  }));
  const users = Array.from({ length: COMPANIES }, (_, i) => ({ keys: { email: `user-${i}@test` }, traits: { role: random.pick(ROLES), beta: random.chance(0.3) } }));
  return { flags, companies, users };
}

export async function clientBench(): Promise<string> {
  const random = new Random(11);
  const content = flagsFile(random);
  const dir = mkdtempSync(join(tmpdir(), 'flagwire-bench-'));
  const file = join(dir, 'flagwire.flags.json');
  writeFileSync(file, JSON.stringify(content));
  const client = createFlagsClient({ flagsFile: file, watch: false, logLevel: 'error' });
  if ((await client.ready()) !== 'ready') throw new Error('bench client did not load its flags');

  // The same entities, parsed once, for the engine-only figures.
  const data = loadFlagsText(JSON.stringify(content), file);
  const flags = [...data.flags.values()];
  const subjects: Subjects[] = data.companies.map((company, i) => ({ company: parseCompany(company), user: parseUser(data.users[i]!), options: null }));
  const contexts = content.companies.map((company, i) => ({ company: company.keys, user: content.users[i]!.keys }));
  const keys = flags.map((f) => f.key);
  const now = Date.now();
  const at = (i: number) => i % COMPANIES;

  const results = await measure([
    {
      name: 'client.snapshot(ctx) + 20 isEnabled reads (one request)',
      async: true,
      run: async (i) => {
        const snapshot = await client.snapshot(contexts[at(i)]!);
        let on = 0;
        for (const key of keys) if (snapshot.isEnabled(key)) on++;
        return on;
      },
    },
    {
      name: 'engine only: 20 evaluations on parsed entities',
      run: (i) => {
        const s = subjects[at(i)]!;
        let on = 0;
        for (const flag of flags) if (evaluate(flag, s, now).value) on++;
        return on;
      },
    },
    {
      name: 'client.checkFlag(ctx, key) (one flag)',
      async: true,
      run: (i) => client.checkFlag(contexts[at(i)]!, keys[i % FLAG_COUNT]!),
    },
    {
      name: 'engine only: 1 evaluation on parsed entities',
      run: (i) => evaluate(flags[i % FLAG_COUNT]!, subjects[at(i)]!, now).value,
    },
  ]);
  await client.close();
  rmSync(dir, { recursive: true, force: true });
  const [request, engine20, check, engine1] = results as [(typeof results)[0], (typeof results)[0], (typeof results)[0], (typeof results)[0]];
  const row = (r: (typeof results)[0], baseline: (typeof results)[0]) =>
    `| ${r.name} | ${formatNs(r.nsPerOp)} | ${formatNs(r.p10)} – ${formatNs(r.p90)} | ${(r.nsPerOp / baseline.nsPerOp).toFixed(2)}× |`;
  return [
    '## Client on the embedded default (local flags file)',
    '',
    `${FLAG_COUNT} flags (overrides, plan entitlements with usage limits, trait lists), ${COMPANIES} companies and users in`,
    'the memory store; requests rotate through them. Each client figure sits above the engine-only cost of the',
    'same evaluations; the ratio is the client\'s overhead (entity lookup, snapshot, promise).',
    '',
    '| path | per operation | p10 – p90 | vs engine only |',
    '|---|---|---|---|',
    row(request, engine20),
    row(engine20, engine20),
    row(check, engine1),
    row(engine1, engine1),
  ].join('\n');
}
