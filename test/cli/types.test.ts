import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index';
import { featBitFlag } from '../support/featbit-builders';
import { SAMPLE_FLAGS, tempFlagsFile } from '../support/flags-files';

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, (l) => out.push(l), (l) => err.push(l));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const root = new URL('../..', import.meta.url).pathname;

describe('flagwire types', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));
  const fileWith = (content: unknown) => {
    const files = tempFlagsFile(content);
    cleanups.push(files.cleanup);
    return files.file;
  };
  const FLAGS = {
    flags: {
      'new-editor': { rules: [{ when: 'user.role = admin' }] },
      headline: { variations: ['control', 'bold'], default: 'control' },
      layout: { variations: { narrow: { columns: 1 }, wide: { columns: 2, 'max-width': '80rem' } }, default: 'narrow' },
      'page-size': { variations: [10, -1.5], default: 10 },
    },
  };

  it('writes the Register module beside the file: each key with the values its flag serves, keys in order', async () => {
    const file = fileWith(FLAGS);
    const { code, out } = await run(['types', file]);
    expect(code).toBe(0);
    const target = file.replace(/\.json$/, '.d.ts');
    expect(out).toBe(`${target}: 4 flags from ${file}`);
    const module = readFileSync(target, 'utf8');
    expect(module).toContain(`from ./${file.split('/').at(-1)}.`);
    expect(module).toContain("declare module 'flagwire/server' {\n  interface Register {\n    flags: {\n");
    expect(module.split('\n').filter((line) => line.startsWith('      readonly '))).toEqual([
      '      readonly headline: { readonly variations: readonly ["control", "bold"] };',
      '      readonly layout: { readonly variations: readonly [{ readonly columns: 1 }, { readonly columns: 2; readonly "max-width": "80rem" }] };',
      '      readonly "new-editor": { readonly variations: readonly [true, false] };',
      '      readonly "page-size": { readonly variations: readonly [10, -1.5] };',
    ]);
  });

  it('--check: 0 while the module is what the file gives; 1, naming the module, when it is missing or out of date', async () => {
    const file = fileWith(FLAGS);
    const target = join(file, '..', 'flags-types.d.ts');
    expect(await run(['types', file, '--out', target, '--check'])).toMatchObject({ code: 1, err: `${target} is missing: \`flagwire types\` writes it from ${file}` });
    expect(existsSync(target)).toBe(false);
    expect((await run(['types', file, '--out', target])).code).toBe(0);
    expect(await run(['types', file, '--out', target, '--check'])).toMatchObject({ code: 0, out: `${target}: up to date with ${file}` });
    writeFileSync(file, JSON.stringify({ flags: { ...FLAGS.flags, headline: { variations: ['control', 'bold', 'question'], default: 'control' } } }));
    expect(await run(['types', file, '--out', target, '--check'])).toMatchObject({ code: 1, err: `${target} is out of date: \`flagwire types\` writes it from ${file}` });
  });

  it('a file with problems: each is printed as validate prints it, exit 1, and no module is written', async () => {
    const file = fileWith({ flags: { headline: { variations: ['control'], default: 'loud' } } });
    const { code, err } = await run(['types', file]);
    expect(code).toBe(1);
    expect(err).toMatch(new RegExp(`^${file}:\\d+:\\d+ flags\\.headline`));
    expect(existsSync(file.replace(/\.json$/, '.d.ts'))).toBe(false);
  });

  it('a FeatBit bootstrap file: each flag typed by its variationType', async () => {
    // FeatBit's flags carry every value as text, typed by variationType; the builder's flag serves 'on' or 'off'.
    const typed = (key: string, variationType: string, on: string, off: string) => ({
      ...featBitFlag({ key, id: key, variations: [{ id: 'on', value: on }, { id: 'off', value: off }] }),
      variationType,
    });
    const flags = [
      typed('checkout-v2', 'boolean', 'true', 'false'),
      typed('theme', 'string', 'dark', 'light'),
      typed('limit', 'number', '5', ' 50'),
      typed('banner', 'json', '{"text":"hi","size":[1,2]}', 'null'),
    ];
    const file = fileWith({ messageType: 'data-sync', data: { eventType: 'full', featureFlags: flags, segments: [] } });
    expect((await run(['types', file])).code).toBe(0);
    expect(readFileSync(file.replace(/\.json$/, '.d.ts'), 'utf8').split('\n').filter((line) => line.startsWith('      readonly '))).toEqual([
      '      readonly banner: { readonly variations: readonly [{ readonly text: "hi"; readonly size: readonly [1, 2] }, null] };',
      '      readonly "checkout-v2": { readonly variations: readonly [true, false] };',
      '      readonly limit: { readonly variations: readonly [5, 50] };',
      '      readonly theme: { readonly variations: readonly ["dark", "light"] };',
    ]);
  });

  it('the modules committed beside the examples and the type test are up to date with their files', async () => {
    for (const folder of ['examples/express', 'examples/next', 'test/types/generated']) {
      const { code, err } = await run(['types', join(root, folder, 'flagwire.flags.json'), '--check']);
      expect(code, `${folder}: ${err}`).toBe(0);
    }
  });

  it('the sample flags file gives a module for its three flags', async () => {
    const file = fileWith(SAMPLE_FLAGS);
    expect(await run(['types', file])).toMatchObject({ code: 0, out: `${file.replace(/\.json$/, '.d.ts')}: 3 flags from ${file}` });
  });
});
