import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningNextExample, startNextApp } from '../support/next-example';
import { delivery, SECRET } from '../support/webhooks';

/**
 * `getCachedFlags` in a Next 16 app with `cacheComponents: true`: read directly (Next's data cache, through
 * `unstable_cache`) and inside a `'use cache'` component tagged with `cacheTag('flagwire')`. Both pages build
 * static; a flags change is not served until a signed webhook expires flagwire's tag, then both serve it. A
 * real `next build` and `next start`, in an app inside the repository so it resolves `flagwire` to the built
 * package.
 */
const APP = fileURLToPath(new URL('./.cache-components/', import.meta.url));
const NEXT_BIN = fileURLToPath(new URL('../../node_modules/next/dist/bin/next', import.meta.url));
const FLAGS_FILE = join(APP, 'flags.json');
const saleFile = (on: boolean) => JSON.stringify({ flags: { sale: { client: true, default: on } } });

const FILES: Record<string, string> = {
  // Its own (empty) config: the repository's tsconfig `paths` would send flagwire's entries to the sources.
  'jsconfig.json': '{}',
  'next.config.mjs': 'export default { cacheComponents: true };',
  'flags.json': saleFile(false),
  'lib/flags.js': `import { createNextFlags, createWebhookRoute } from 'flagwire/next';
import { createFlagsClient } from 'flagwire/server';
const holder = globalThis;
export const client = (holder.flagwireClient ??= createFlagsClient({ flagsFile: process.env.FLAGS_FILE ?? 'flags.json' }));
export const { getCachedFlags } = createNextFlags({ client, context: () => ({}), cache: { revalidate: false } });
export const webhook = createWebhookRoute({ secret: ${JSON.stringify(SECRET)}, client });`,
  'app/layout.js': 'export default function Layout({ children }) { return <html><body>{children}</body></html>; }',
  'app/with-use-cache/page.js': `import { cacheTag } from 'next/cache';
import { getCachedFlags } from '../../lib/flags';
async function Sale() {
  'use cache';
  cacheTag('flagwire');
  const flags = await getCachedFlags();
  return <p id="sale">{String(flags.isEnabled('sale'))}</p>;
}
export default function Page() { return <main><Sale /></main>; }`,
  'app/data-cache/page.js': `import { getCachedFlags } from '../../lib/flags';
export default async function Page() {
  const flags = await getCachedFlags();
  return <main><p id="sale">{String(flags.isEnabled('sale'))}</p></main>;
}`,
  'app/api/webhook/route.js': `import { webhook } from '../../../lib/flags';
export const { POST } = webhook;`,
  // What an evaluation now says, never cached: the test waits on it for the client to have reloaded the file.
  'app/api/fresh/route.js': `import { connection } from 'next/server';
import { client } from '../../../lib/flags';
export async function GET() {
  await connection();
  return Response.json({ sale: (await client.snapshot({})).isEnabled('sale') });
}`,
};

let buildOutput = '';
let app: RunningNextExample;
let url = '';

beforeAll(async () => {
  rmSync(APP, { recursive: true, force: true });
  for (const [file, text] of Object.entries(FILES)) {
    mkdirSync(join(APP, file, '..'), { recursive: true });
    writeFileSync(join(APP, file), text);
  }
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', FLAGS_FILE };
  const built = await promisify(execFile)(process.execPath, [NEXT_BIN, 'build'], { cwd: APP, env, maxBuffer: 16 * 1024 * 1024 });
  buildOutput = built.stdout + built.stderr;
  app = await startNextApp(APP, { FLAGS_FILE }, '/data-cache');
  url = app.url;
}, 300_000);

afterAll(async () => {
  await app?.close();
  rmSync(APP, { recursive: true, force: true });
});

const sale = async (path: string) => /<p id="sale">(\w+)<\/p>/.exec(await (await fetch(`${url}${path}`)).text())?.[1];

describe('getCachedFlags under cacheComponents', () => {
  it('builds both pages static', () => {
    expect(buildOutput).toMatch(/Cache Components enabled/);
    expect(buildOutput).toMatch(/○ \/with-use-cache/);
    expect(buildOutput).toMatch(/○ \/data-cache/);
  });

  it("keeps serving the cached flags through a change, until a signed webhook expires flagwire's tag", async () => {
    expect([await sale('/data-cache'), await sale('/with-use-cache')]).toEqual(['false', 'false']);
    writeFileSync(FLAGS_FILE, saleFile(true));
    // Once the client has reloaded the file a fresh evaluation says true; the cached pages must not (yet).
    const reloaded = Date.now() + 15_000;
    while (!(await (await fetch(`${url}/api/fresh`)).json()).sale) {
      if (Date.now() > reloaded) throw new Error(`the client did not reload the flags file:\n${app.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect([await sale('/data-cache'), await sale('/with-use-cache')]).toEqual(['false', 'false']);
    const signed = delivery('flag.updated', { id: 'flag_sale', key: 'sale' });
    const accepted = await fetch(`${url}/api/webhook`, { method: 'POST', body: signed.raw, headers: signed.headers });
    expect(accepted.status, await accepted.clone().text()).toBe(200);
    // Expired: the next requests render again (the first may still get the stale page while it does).
    const deadline = Date.now() + 15_000;
    let seen: (string | undefined)[] = [];
    while ((seen = [await sale('/data-cache'), await sale('/with-use-cache')]).some((value) => value !== 'true')) {
      if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(seen)} after the webhook:\n${app.output()}\n${readFileSync(FLAGS_FILE, 'utf8')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(seen).toEqual(['true', 'true']);
  }, 60_000);
});
