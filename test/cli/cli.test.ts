import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index';
import { dispatchBucket } from '../../src/evaluators/featbit/dispatch';
import { SAMPLE_FLAGS, tempFlagsFile } from '../support/flags-files';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('flagwire CLI', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  const fileWith = (content: unknown) => {
    const files = tempFlagsFile(content);
    cleanups.push(files.cleanup);
    return files.file;
  };

  it('validate: exits 0 for a good file', async () => {
    const { code, out } = await run(['validate', fileWith(SAMPLE_FLAGS)]);
    expect(code).toBe(0);
    expect(out).toContain('3 flags, 2 companies, 2 users — valid');
  });

  it('validate: exits 1 and prints each problem as file:line:column path: message', async () => {
    const file = fileWith('{\n  "flags": {\n    "a": { "client": "yes" },\n    "b": { "default": "no" }\n  }\n}\n');
    const { code, err } = await run(['validate', file]);
    expect(code).toBe(1);
    expect(err.split('\n')).toEqual([
      `${file}:3:22 flags.a.client: Invalid input: expected boolean, received string`,
      `${file}:4:23 flags.b.default: an on/off flag serves true or false (add "variations" to serve other values)`,
    ]);
    const unreadable = fileWith('{\n  "flags": {\n    "a": { "rules": [{ "when": "company.plan ~ pro" }] }\n  }\n}\n');
    expect((await run(['validate', unreadable])).err).toMatch(new RegExp(`^${unreadable}:3:\\d+ flags\\.a\\.rules\\.0\\.when: cannot read`));
  });

  it('check: prints value, reason, rule and usage', async () => {
    const { code, out } = await run(['check', 'advanced-reports', '--company', 'domain=acme.test', '--file', fileWith(SAMPLE_FLAGS)]);
    expect(code).toBe(0);
    expect(out).toMatch(/^advanced-reports: true\nreason: Matched plan entitlement rule "Pro plan" .*\nrule: .*plan_entitlement\)\nusage: 1 of 3 exports, resets /);
  });

  it('explain: lists every rule in order with each condition’s verdict', async () => {
    const file = fileWith(SAMPLE_FLAGS);
    const { code, out } = await run(['explain', 'new-editor', '--company', 'domain=globex.test', '--user', 'email=bob@acme.test', '--file', file]);
    expect(code).toBe(0);
    expect(out.split('\n')).toEqual([
      'new-editor: true — Matched standard rule "company.seats >= 50" (flag_new-editor.rule_2)',
      '1. standard "user.role in [admin, owner]" → true : did not match',
      '     ✗ (any of group 1) user.role eq "admin"',
      '     ✗ (any of group 1) user.role eq "owner"',
      '2. standard "company.seats >= 50" → true : matched',
      '     ✓ company.seats gte "50"',
    ]);
  });

  it('explain --override: says the browser override wins, then explains the rules it sets aside', async () => {
    const file = fileWith(SAMPLE_FLAGS);
    const overridden = await run(['explain', 'new-editor', '--company', 'domain=globex.test', '--user', 'email=bob@acme.test', '--override', 'false', '--file', file]);
    expect(overridden.code).toBe(0);
    expect(overridden.out.split('\n').slice(0, 2)).toEqual([
      'new-editor: false — Overridden - from the flag overrides cookie; without it:',
      'new-editor: true — Matched standard rule "company.seats >= 50" (flag_new-editor.rule_2)',
    ]);
    const wrongType = await run(['explain', 'new-editor', '--override', '"bold"', '--file', file]);
    expect(wrongType.out.split('\n')[0]).toBe('(--override "bold" is not a value of new-editor\'s type: the browser\'s override would be ignored)');
    expect((await run(['check', 'new-editor', '--override', 'true', '--file', file])).code).toBe(2);
  });

  it('explain: says when the company is unknown', async () => {
    const { out } = await run(['explain', 'internal-tools', '--company', 'domain=nobody.test', '--file', fileWith(SAMPLE_FLAGS)]);
    expect(out).toContain('(no company with those keys: company conditions cannot hold)');
  });

  it('exits 2 with usage for bad arguments', async () => {
    expect((await run([])).code).toBe(2);
    expect((await run(['check'])).err).toContain('check needs a flag key');
    expect((await run(['check', 'x', '--company', 'acme'])).err).toContain('--company takes key=value');
    expect((await run(['frobnicate'])).code).toBe(2);
  });

  it('runs as the package bin', () => {
    const out = execFileSync(process.execPath, ['dist/cli.js', 'validate', fileWith(SAMPLE_FLAGS)], { encoding: 'utf8' });
    expect(out).toContain('valid');
  });

  const BROKEN = '{\n  "flags": {\n    "a": { "client": "yes" }\n  }\n}\n';

  it('check and explain: a broken file gives the same file:line:column errors as validate, exit 1', async () => {
    const file = fileWith(BROKEN);
    const validated = await run(['validate', file]);
    expect(validated.err).toBe(`${file}:3:22 flags.a.client: Invalid input: expected boolean, received string`);
    for (const command of ['check', 'explain']) {
      const started = performance.now();
      const { code, out, err } = await run([command, 'a', '--file', file]);
      expect({ code, out, err }).toEqual({ code: 1, out: '', err: validated.err });
      expect(performance.now() - started).toBeLessThan(1000);
    }
  });

  it('check and explain: a missing file is reported as validate reports it, exit 1', async () => {
    const missing = `${fileWith(SAMPLE_FLAGS)}.missing`;
    const validated = await run(['validate', missing]);
    expect(validated.err).toContain(`${missing}: `);
    for (const command of ['check', 'explain']) {
      expect(await run([command, 'a', '--file', missing])).toEqual({ code: 1, out: '', err: validated.err });
    }
  });

  it('check and explain as a process: a broken file exits 1 with its errors, not 13 with nothing', () => {
    const file = fileWith(BROKEN);
    for (const command of ['check', 'explain']) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/bin.ts', command, 'a', '--file', file], { encoding: 'utf8', timeout: 30_000 });
      expect({ status: child.status, stdout: child.stdout }).toEqual({ status: 1, stdout: '' });
      expect(child.stderr).toContain(`${file}:3:22 flags.a.client:`);
    }
  }, 60_000);

  it('--version and -v print the package version', async () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(await run(['--version'])).toEqual({ code: 0, out: version, err: '' });
    expect(await run(['-v'])).toEqual({ code: 0, out: version, err: '' });
  });

  it('check: warns about an unknown flag key with a did-you-mean, prints the default, exits 1', async () => {
    const file = fileWith(SAMPLE_FLAGS);
    const { code, out, err } = await run(['check', 'advanced-report', '--company', 'domain=acme.test', '--file', file]);
    expect(code).toBe(1);
    expect(out).toMatch(/^advanced-report: false\n/);
    expect(err).toBe(`no flag "advanced-report" in ${file} (did you mean "advanced-reports"?)`);
  });

  it('explain: an unknown flag key gets a did-you-mean', async () => {
    const file = fileWith(SAMPLE_FLAGS);
    expect(await run(['explain', 'new-editr', '--file', file])).toEqual({ code: 1, out: '', err: `no flag "new-editr" in ${file} (did you mean "new-editor"?)` });
    expect((await run(['explain', 'zzzzzz', '--file', file])).err).toBe(`no flag "zzzzzz" in ${file}`);
  });
});

describe('flagwire CLI on flags with variations', () => {
  const VARIANT_FLAGS = JSON.stringify({
    flags: {
      headline: {
        variations: ['control', 'bold', 'question'],
        default: 'control',
        rollout: { control: 34, bold: 33, question: 33 },
        rules: [{ name: 'Germany', when: 'user.country = DE', value: 'bold' }],
      },
    },
  });
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));
  const file = () => {
    const files = tempFlagsFile(VARIANT_FLAGS);
    cleanups.push(files.cleanup);
    return files.file;
  };

  it('check prints the value, variation, kind and the rollout bucket (FeatBit dispatch)', async () => {
    const { code, out } = await run(['check', 'headline', '--user', 'key=user-7', '--file', file()]);
    expect(code).toBe(0);
    const bucket = dispatchBucket('headlineuser-7');
    const expected = bucket <= 0.34 ? 'control' : bucket <= 0.67 ? 'bold' : 'question';
    expect(out.split('\n')).toEqual([
      `headline: "${expected}"`,
      `variation: ${expected}`,
      'reason: No rules matched; fallthrough [fallthrough]',
      `bucket: ${bucket.toFixed(6)} (FeatBit dispatch of the flag key and the rollout attribute)`,
    ]);
  });

  it('check reads request-time attributes given with --attr', async () => {
    const { code, out } = await run(['check', 'headline', '--user', 'key=user-7', '--attr', 'user.country=DE', '--file', file()]);
    expect(code).toBe(0);
    expect(out).toMatch(/^headline: "bold"\nvariation: bold\nreason: Matched standard rule "Germany" .*\[rule_match\]\nrule: /);
    expect((await run(['check', 'headline', '--attr', 'country=DE', '--file', file()])).code).toBe(2);
  });

  it('explain shows what each rule and the fallthrough serve', async () => {
    const { code, out } = await run(['explain', 'headline', '--user', 'key=user-7', '--attr', 'user.country=FR', '--file', file()]);
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^headline: "(control|bold|question)" \(variation \w+, bucket 0\.\d{6}\) — No rules matched; fallthrough$/);
    expect(lines.slice(1)).toEqual([
      '1. standard "Germany" → "bold" : did not match',
      '     ✗ user.country eq "DE"',
      'otherwise → rollout control 34% / bold 33% / question 33% by user.key',
    ]);
  });
});
