import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * What an app on a well-formed flags file loads: the built package in a fresh Node process, with a module hook
 * that reports every package it resolves. The JSONC parser and the schema validator are loaded only to word a
 * file's problems, RE2 only for FeatBit's regex conditions, ws only for a socket, the Flags SDK only to read an
 * overrides cookie: each costs a cold start milliseconds (zod alone ~35 ms).
 */
const root = new URL('../..', import.meta.url);
const scratch = mkdtempSync(join(tmpdir(), 'flagwire-lazy-deps-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const LAZY = ['zod', 'jsonc-parser', 're2js', 'ws', 'flags'];

const HOOK = `import { writeSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  if (!/^(node:|file:|data:|\\.|\\/)/.test(specifier)) writeSync(2, 'package ' + specifier + '\\n');
  return next(specifier, context);
}`;

/** Runs a client on `flags` (a flags file's text): its first answer, and the packages resolved on the way. */
function run(name: string, flags: string, express = false): { output: string[]; packages: string[] } {
  const file = join(scratch, name);
  writeFileSync(file, flags);
  const script = `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}));
const { createFlagsClient } = await import('flagwire/server');
const client = createFlagsClient({ flagsFile: ${JSON.stringify(file)}, logger: { debug() {}, info() {}, warn() {}, error(message) { console.log('error: ' + message); } } });
await client.ready().catch((error) => console.log('not ready: ' + error.message));
console.log('answer ' + (await client.checkFlag({ user: { id: 'ada' } }, 'beta')));
${express ? "const { flagsMiddleware } = await import('flagwire/express'); flagsMiddleware(client, { context: () => ({}) }); console.log('middleware made');" : ''}
await client.close();`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`the child failed: ${child.stderr}`);
  const packages = child.stderr.split('\n').filter((line) => line.startsWith('package ')).map((line) => line.slice('package '.length));
  return { output: child.stdout.trim().split('\n'), packages };
}

describe('dependencies loaded only when needed (built package)', () => {
  it('a well-formed flags file loads neither the JSONC parser, the schema validator, RE2 nor ws', () => {
    const { output, packages } = run('good.flags.json', `// a comment, and a trailing comma
{ "flags": { "beta": { "rules": [{ "when": "user.role = admin" }] } }, "users": [{ "keys": { "id": "ada" }, "traits": { "role": "admin" } },] }`);
    expect(output).toEqual(['answer true']);
    expect(packages).toContain('flagwire/server');
    expect(packages.filter((name) => LAZY.includes(name))).toEqual([]);
  });

  it("an Express app with no FLAGS_SECRET never loads the Flags SDK (it reads Flags Explorer's cookie)", () => {
    const { output, packages } = run('express.flags.json', '{ "flags": { "beta": {} } }', true);
    expect(output).toEqual(['answer false', 'middleware made']);
    expect(packages).toContain('flagwire/express');
    // (flagwire/express loads ws itself, for its live channel.)
    expect(packages.filter((name) => name === 'flags' || name === 'jose')).toEqual([]);
  });

  it('a file with a problem loads the full reader, which places it', () => {
    const { output, packages } = run('bad.flags.json', '{ "flags": { "beta": { "rulez": [] } } }');
    const text = output.join('\n');
    expect(text).toMatch(/has 1 problem:\n.*1:2\d flags\.beta\.rulez: unknown field "rulez" \(did you mean "rules"\?\)/);
    expect(output.at(-1)).toBe('answer false');
    expect(packages).toEqual(expect.arrayContaining(['zod', 'jsonc-parser']));
  });
});
