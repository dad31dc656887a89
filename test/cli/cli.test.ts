import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index';
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
      `${file}:4:23 flags.b.default: Invalid input: expected boolean, received string`,
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
});
