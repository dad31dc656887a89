import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** `flagwire/openfeature` and `flagwire/openfeature/web` as users get them, from `dist/` (npm test builds first). */
const root = new URL('../..', import.meta.url);

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' }).trim();
}

describe('package exports: OpenFeature providers', () => {
  it('exposes the server provider as ESM and CommonJS, sharing the server’s client class', () => {
    const esm = `import { FlagwireProvider, flagwireContextOf } from 'flagwire/openfeature'; import { createFlagsClient } from 'flagwire/server';
      const provider = new FlagwireProvider(createFlagsClient({ offline: true }));
      console.log(typeof FlagwireProvider, provider.metadata.name, JSON.stringify(flagwireContextOf({ targetingKey: 'u' })));`;
    expect(node(['--input-type=module', '-e', esm])).toBe('function flagwire {"user":{"key":"u"}}');
    expect(node(['-e', `const o = require('flagwire/openfeature'); console.log(typeof o.FlagwireProvider)`])).toBe('function');
  });

  it('exposes the web provider in both module systems, with no server or Node code in it', () => {
    for (const file of ['dist/openfeature-web.js', 'dist/openfeature-web.cjs']) {
      const code = readFileSync(new URL(file, root), 'utf8');
      expect(code, file).toMatch(/FlagwireWebProvider/);
      expect(code, file).not.toMatch(/node:|from "ws"|require\("ws"\)|lru-cache|zod|from "react"|require\("react"\)|require\("flagwire|from "flagwire/);
    }
    expect(node(['-e', `const w = require('flagwire/openfeature/web'); console.log(typeof w.FlagwireWebProvider)`])).toBe('function');
  });

  it('ships type declarations for both module systems', () => {
    for (const file of ['dist/openfeature.d.ts', 'dist/openfeature.d.cts', 'dist/openfeature-web.d.ts', 'dist/openfeature-web.d.cts']) {
      expect(existsSync(new URL(file, root)), file).toBe(true);
    }
  });
});
