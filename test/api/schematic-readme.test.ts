import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SchematicTestServer } from '../support/schematic-server';

/**
 * Migration is one import away: the usage examples of Schematic's own Node SDK README, read from the installed
 * package at test time, run against flagwire with only the import and the construction changed, and print
 * what they print against Schematic (no `undefined` where Schematic's SDK has a value).
 */

const require = createRequire(import.meta.url);
const readme = readFileSync(join(dirname(require.resolve('@schematichq/schematic-typescript-node/package.json')), 'README.md'), 'utf8');
const serverEntry = fileURLToPath(new URL('../../src/server/index.ts', import.meta.url));

/** The TypeScript blocks under a `### heading` of the README, in order. */
function examples(heading: string): string[] {
  const start = readme.indexOf(`### ${heading}\n`);
  if (start < 0) throw new Error(`Schematic's README has no section "${heading}"`);
  const end = readme.indexOf('\n### ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string);
}

const IMPORT = 'import { SchematicClient } from "@schematichq/schematic-typescript-node";';
const CONSTRUCTION = /const client = new SchematicClient\(\{ apiKey \}\);/;

describe("Schematic's README examples, run against flagwire", () => {
  let api: SchematicTestServer;
  let dir: string;
  let logged: string[];

  beforeAll(async () => {
    api = await new SchematicTestServer().start();
    api.flags = {
      'some-flag-key': { value: true, reason: 'Matched standard rule "Beta" (rule_1)' },
      'feature-flag-1': { value: true, reason: 'Matched standard rule "On" (rule_2)' },
      'feature-flag-2': { value: false, reason: 'No rules matched; default value for flag' },
    };
    dir = mkdtempSync(join(tmpdir(), 'flagwire-schematic-readme-'));
  });
  afterAll(async () => {
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => vi.restoreAllMocks());

  /**
   * Runs one README example: its import and construction replaced (a block that continues an earlier one gets
   * the construction), nothing else touched. Resolves once `done()` holds for what it printed.
   */
  async function run(code: string, name: string, done: (lines: string[]) => boolean): Promise<string[]> {
    logged = [];
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logged.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')));
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(`error: ${args.map(String).join(' ')}`));
    const construction = `const client = createFlagsClient({ apiKey: 'sch_test_key', basePath: ${JSON.stringify(api.url)}, eventCaptureBaseURL: ${JSON.stringify(api.url)}, eventBufferInterval: 10, logLevel: 'silent' });`;
    const adapted = `import { createFlagsClient } from ${JSON.stringify(serverEntry)};\n${
      CONSTRUCTION.test(code) ? code.replace(IMPORT, '').replace(CONSTRUCTION, construction) : `${construction}\n${code}`
    }`;
    const { code: js } = await transform(adapted, { loader: 'ts', format: 'esm' });
    const file = join(dir, `${name}.mjs`);
    writeFileSync(file, js);
    await import(file);
    const deadline = Date.now() + 10_000;
    while (!done(logged)) {
      if (Date.now() > deadline) throw new Error(`${name}: printed ${JSON.stringify(logged)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return logged;
  }

  it('checks several flags: each item names its flag as `flag`', async () => {
    const [example] = examples('Checking multiple flags');
    const lines = await run(example as string, 'check-flags', (printed) => printed.length >= 6);
    expect(lines.filter((line) => line.startsWith('Flag ')).sort()).toEqual([
      'Flag feature-flag-1: true',
      'Flag feature-flag-1: true (Matched standard rule "On" (rule_2))',
      'Flag feature-flag-2: false',
      'Flag feature-flag-2: false (No rules matched; default value for flag)',
      'Flag feature-flag-3: false (Flag not found - using default value)',
      'Flag some-flag-key: true',
    ]);
    expect(lines.join('\n')).not.toContain('undefined');
  });

  it('checks a flag with its entitlement', async () => {
    const [example] = examples('Checking flags with entitlement details');
    const lines = await run(example as string, 'check-entitlement', (printed) => printed.length >= 1);
    expect(lines).toEqual(['Flag: some-flag-key, Value: true, Reason: Matched standard rule "Beta" (rule_1)']);
  });

  it('upserts a company and a user: the entity is the response’s `data`', async () => {
    const [company] = examples('Creating and updating companies');
    const [user] = examples('Creating and updating users');
    const companyLines = await run(company as string, 'upsert-company', (printed) => printed.length >= 1);
    expect(JSON.parse(companyLines[0] as string)).toMatchObject({ id: 'comp_your-company-id', name: 'Acme Widgets, Inc.', keys: { id: 'your-company-id' }, traits: { city: 'Atlanta', highScore: 25, isActive: true } });
    const userLines = await run(user as string, 'upsert-user', (printed) => printed.length >= 1);
    expect(JSON.parse(userLines[0] as string)).toMatchObject({ name: 'Wile E. Coyote', keys: { email: 'wcoyote@acme.net', userId: 'your-user-id' }, traits: { loginCount: 24 } });
  });

  it('checks a flag, identifies and tracks: the events reach the capture service', async () => {
    const [check] = examples('Checking flags');
    await run(check as string, 'check-flag', () => api.requests.some((r) => r.path === '/flags/some-flag-key/check'));
    const before = api.events.length;
    for (const [i, example] of [...examples('Sending identify events'), ...examples('Sending track events')].entries()) await run(example, `event-${i}`, () => true);
    const deadline = Date.now() + 10_000;
    while (api.events.length < before + 6 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    const sent = api.events.slice(before);
    expect(sent.map((event) => event.type).sort()).toEqual(['identify', 'identify', 'track', 'track', 'track', 'track']);
    expect(sent.find((event) => event.type === 'track' && event.body.quantity === 10)?.body).toMatchObject({ event: 'some-action', company: { id: 'your-company-id' } });
    expect(logged.filter((line) => line.startsWith('error:'))).toEqual([]);
  });
});
