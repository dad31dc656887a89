import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The built package as users get it: ESM and CJS through the `exports` map, types beside each. Runs
 * against `dist/` (npm test builds first), in fresh Node processes so nothing resolves through Vite.
 */
const root = new URL('../..', import.meta.url);
const built = existsSync(new URL('dist/server.js', root));

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
}

// The engine is its own entry (flagwire/engine); its errors are the server's.
const probe = `const flag = { id: 'f', account_id: 'a', environment_id: 'e', key: 'k', default_value: true };
const out = engine.evaluateFlag(flag); console.log(out.value, out.reason, typeof engine.parseFlag, typeof m.InvalidEntityError);`;

describe('package exports', () => {
  it('was built (npm test runs the build first)', () => {
    expect(built).toBe(true);
  });

  it('imports flagwire/server and flagwire as ESM', () => {
    for (const specifier of ['flagwire/server', 'flagwire']) {
      expect(node(['--input-type=module', '-e', `import * as m from '${specifier}'; import * as engine from 'flagwire/engine'; ${probe}`]).trim()).toBe(
        'true No rules matched; default value for flag function function',
      );
    }
  });

  it('requires flagwire/server as CommonJS', () => {
    expect(node(['-e', `const m = require('flagwire/server'); const engine = require('flagwire/engine'); ${probe}`]).trim()).toBe(
      'true No rules matched; default value for flag function function',
    );
  });

  // Every entry of the exports map, as plain Node loads it (its peers are devDependencies here).
  // flagwire/next is server-only: it loads under the react-server condition, as in Next's server bundles.
  const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { exports: Record<string, unknown> };
  const entries = Object.keys(manifest.exports)
    .filter((key) => key !== './package.json')
    .map((key) => ({ specifier: key === '.' ? 'flagwire' : `flagwire/${key.slice(2)}`, conditions: key === './next' ? ['--conditions=react-server'] : [] }));

  it.each(entries)('imports $specifier as ESM in plain Node', ({ specifier, conditions }) => {
    const out = node([...conditions, '--input-type=module', '-e', `const m = await import('${specifier}'); console.log(Object.keys(m).length > 0)`]);
    expect(out.trim()).toBe('true');
  });

  it.each(entries)('requires $specifier as CommonJS in plain Node', ({ specifier, conditions }) => {
    const out = node([...conditions, '-e', `console.log(Object.keys(require('${specifier}')).length > 0)`]);
    expect(out.trim()).toBe('true');
  });

  it('exposes flagwire/express and flagwire/next/pages, sharing the server’s classes', () => {
    const esm = node(['--input-type=module', '-e', `import { flagsWebhook, captureRawBody } from 'flagwire/express'; import { createPagesFlags, createPagesWebhookHandler } from 'flagwire/next/pages'; console.log(typeof flagsWebhook, typeof captureRawBody, typeof createPagesFlags, typeof createPagesWebhookHandler)`]);
    expect(esm.trim()).toBe('function function function function');
    const cjs = node(['-e', `const e = require('flagwire/express'); const p = require('flagwire/next/pages'); console.log(typeof e.flagsWebhook, typeof p.withFlags, typeof p.createPagesFlags)`]);
    expect(cjs.trim()).toBe('function undefined function');
  });

  it('keeps flagwire/next on the server: it loads under the react-server condition and refuses elsewhere', () => {
    const server = node(['--conditions=react-server', '-e', `const n = require('flagwire/next'); console.log(typeof n.createNextFlags, typeof n.createWebhookRoute, n.FLAGWIRE_CACHE_TAG)`]);
    expect(server.trim()).toBe('function function flagwire');
    expect(() => execFileSync(process.execPath, ['-e', `require('flagwire/next')`], { cwd: root, stdio: 'pipe' })).toThrow(/cannot be imported from a Client Component/);
  });

  it('exposes flagwire/react as a client module that pulls in no server code, in both module systems', () => {
    for (const file of ['dist/react.js', 'dist/react.cjs']) {
      const code = readFileSync(new URL(file, root), 'utf8');
      // A bundler reads a module as a client one only when the directive opens it.
      expect(code.startsWith("'use client';"), file).toBe(true);
      expect(code, file).not.toMatch(/node:|from "ws"|require\("ws"\)|lru-cache|zod|require\("flagwire|from "flagwire/);
    }
  });

  it('exposes flagwire/react/live as a client module that names flagwire/react (one provider context) and bundles no copy of it', () => {
    for (const file of ['dist/react-live.js', 'dist/react-live.cjs']) {
      const code = readFileSync(new URL(file, root), 'utf8');
      expect(code.startsWith("'use client';"), file).toBe(true);
      expect(code, file).toMatch(/from "flagwire\/react"|require\("flagwire\/react"\)/);
      expect(code, file).not.toMatch(/createContext|node:|from "ws"|require\("ws"\)/);
    }
  });

  it('can be published: not private, and the license it names ships with it', () => {
    const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { private?: boolean; license?: string };
    expect(manifest.private).not.toBe(true);
    expect(manifest.license).toBe('MIT');
    expect(readFileSync(new URL('LICENSE', root), 'utf8')).toMatch(/^MIT License/);
  });

  it('ships type declarations for both module systems', () => {
    for (const file of ['dist/server.d.ts', 'dist/server.d.cts', 'dist/express.d.ts', 'dist/next.d.cts', 'dist/next-pages.d.ts']) expect(existsSync(new URL(file, root))).toBe(true);
  });
});
