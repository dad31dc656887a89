import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * A real `next build` of the mistake flagwire guards against: a layout that calls `getFlags()` above a
 * `force-static` page. Next renders that page with no request (empty cookies and headers), so evaluating
 * would bake the no-cookie visitor's flags into the HTML everyone gets; the build must fail instead, and
 * say to use `getCachedFlags`. The app lives inside the repository so that it resolves `flagwire` to the
 * built package, as the example does.
 */
const APP = fileURLToPath(new URL('./.static-guard/', import.meta.url));
const NEXT_BIN = fileURLToPath(new URL('../../node_modules/next/dist/bin/next', import.meta.url));

const FILES: Record<string, string> = {
  // Its own (empty) config: without one, Next would take the repository's tsconfig and its `paths`, which
  // send flagwire's entries to the sources rather than to the built package.
  'jsconfig.json': '{}',
  'lib/flags.js': `import { createNextFlags } from 'flagwire/next';
import { createFlagsClient } from 'flagwire/server';
const client = createFlagsClient({ flags: { banner: { client: true, default: false, rules: [{ when: 'company.id = acme' }] } } });
export const { getFlags, getCachedFlags } = createNextFlags({ client, context: (request) => ({ company: { id: request.cookie('company') ?? 'acme' } }) });`,
  'app/layout.js': `import { getFlags } from '../lib/flags';
export default async function Layout({ children }) {
  const flags = await getFlags();
  return <html><body><p id="banner">{String(flags.isEnabled('banner'))}</p>{children}</body></html>;
}`,
  'app/page.js': `export default function Home() { return <main>per visitor</main>; }`,
  'app/pricing/page.js': `export const dynamic = 'force-static';
export default function Pricing() { return <main>pricing</main>; }`,
};

afterAll(() => rmSync(APP, { recursive: true, force: true }));

describe('getFlags() in a static render, under a real next build', () => {
  it('fails the build, naming the static route and getCachedFlags', async () => {
    rmSync(APP, { recursive: true, force: true });
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(join(APP, file, '..'), { recursive: true });
      writeFileSync(join(APP, file), text);
    }
    const build = promisify(execFile)(process.execPath, [NEXT_BIN, 'build'], {
      cwd: APP,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      maxBuffer: 16 * 1024 * 1024,
    });
    const failure = (await build.then(
      (done) => ({ code: 0, output: done.stdout + done.stderr }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? 1, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
    )) as { code: number; output: string };
    expect(failure.code, failure.output).not.toBe(0);
    expect(failure.output).toMatch(/\/pricing/);
    expect(failure.output).toContain('getFlags() was called while Next rendered a route statically');
    expect(failure.output).toContain('getCachedFlags(context)');
  }, 300_000);
});
