import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * An app that only hydrates the server's snapshot bundles without `swr` installed: `flagwire/react` (the
 * built package, both module systems) names no module that names it. Bundlers follow every import, lazy
 * ones too, so one mention anywhere in the graph fails the app's build ("Can't resolve 'swr'").
 */
const root = new URL('../..', import.meta.url);
const scratch = mkdtempSync(join(tmpdir(), 'flagwire-no-swr-'));
// Not the repository's tsconfig: its `paths` would send flagwire's entries to the sources, not to dist/.
const tsconfig = join(scratch, 'tsconfig.json');
writeFileSync(tsconfig, '{}');

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `swr` as an app without it sees it. */
const swrNotInstalled: Plugin = {
  name: 'swr-not-installed',
  setup(builder) {
    builder.onResolve({ filter: /^swr(\/|$)/ }, (args) => ({ errors: [{ text: `Can't resolve '${args.path}' (imported by ${args.importer})` }] }));
  },
};

const VALUES_ONLY_ESM = `import { createElement } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { FlagProvider, useFlag } from 'flagwire/react';
const Badge = () => createElement('b', null, useFlag('new-dashboard') ? 'new' : 'classic');
hydrateRoot(document.getElementById('root'), createElement(FlagProvider, { snapshot: window.__FLAGS__ }, createElement(Badge)));`;

const VALUES_ONLY_CJS = VALUES_ONLY_ESM.replace(
  "import { FlagProvider, useFlag } from 'flagwire/react';",
  "const { FlagProvider, useFlag } = require('flagwire/react');",
);

const LIVE_ESM = VALUES_ONLY_ESM.replace(
  'createElement(FlagProvider, { snapshot: window.__FLAGS__ }',
  "createElement(LiveFlagProvider, { snapshot: window.__FLAGS__, endpoint: '/api/flags' }",
).replace("import { hydrateRoot } from 'react-dom/client';", "import { hydrateRoot } from 'react-dom/client';\nimport { LiveFlagProvider } from 'flagwire/react/live';");

async function bundleApp(source: string, plugins: Plugin[] = [swrNotInstalled]) {
  return build({
    stdin: { contents: source, resolveDir: new URL('.', root).pathname, loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    tsconfig,
    plugins,
    metafile: true,
    logLevel: 'silent',
  });
}

const flagwireInputs = (inputs: Record<string, unknown>) => Object.keys(inputs).filter((input) => input.startsWith('dist/'));

describe('flagwire/react without swr installed', () => {
  it.each([
    ['ESM (import)', VALUES_ONLY_ESM, 'dist/react.js'],
    ['CJS (require)', VALUES_ONLY_CJS, 'dist/react.cjs'],
  ])('bundles an app that renders <FlagProvider snapshot> and useFlag: %s', async (_name, source, entry) => {
    const result = await bundleApp(source);
    expect(flagwireInputs(result.metafile.inputs)).toEqual([entry]);
    expect(Object.keys(result.metafile.inputs).filter((input) => input.includes('node_modules/swr'))).toEqual([]);
  });

  it('refuses an app that uses flagwire/react/live, naming swr: the check above can fail', async () => {
    await expect(bundleApp(LIVE_ESM)).rejects.toThrow(/Can't resolve 'swr' \(imported by .*dist\/react-live\.js\)/);
  });

  it('bundles flagwire/react/live with swr installed, sharing flagwire/react rather than a copy of it', async () => {
    const result = await bundleApp(LIVE_ESM, []);
    const inputs = Object.keys(result.metafile.inputs);
    expect(flagwireInputs(result.metafile.inputs).sort()).toEqual(['dist/react-live.js', 'dist/react.js']);
    expect(inputs.some((input) => input.includes('node_modules/swr'))).toBe(true);
  });

  it.each([
    ['ESM', '--input-type=module', "import { LiveFlagProvider } from 'flagwire/react/live'; import { useFlag } from 'flagwire/react'; import { createElement } from 'react'; import { renderToString } from 'react-dom/server';"],
    ['CJS', '--input-type=commonjs', "const { LiveFlagProvider } = require('flagwire/react/live'); const { useFlag } = require('flagwire/react'); const { createElement } = require('react'); const { renderToString } = require('react-dom/server');"],
  ])('LiveFlagProvider feeds flagwire/react’s hooks, as built (%s)', (_name, inputType, imports) => {
    const render = `${imports}
const Badge = () => createElement('b', null, useFlag('new-dashboard') ? 'new' : 'classic');
const snapshot = { v: 2, flags: { 'new-dashboard': { value: true } } };
console.log(renderToString(createElement(LiveFlagProvider, { snapshot, endpoint: '/api/flags' }, createElement(Badge))));`;
    const html = execFileSync(process.execPath, [inputType, '-e', render], { cwd: root, encoding: 'utf8' });
    expect(html.trim()).toBe('<b>new</b>');
  });
});
