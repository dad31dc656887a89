import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encryptOverrides } from 'flags';
import { parse } from 'jsonc-parser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assignedVisitor,
  editFlagsFile,
  type ExampleFlagsFile,
  expectedVariation,
  type HeadlineVariation,
  headlineInHtml,
  headlineTexts,
  VISITOR_COOKIE,
  VISITORS,
  visitorsCoveringEveryVariation,
} from '../examples/headline-experiment';
import { collectConsoleProblems, gotoSettled, headlineChanges, launchChromium } from '../support/browser';
import { expectFirstVisitKeepsItsVariation, expectHeadlinesNeverMoved, openVisitorPage } from '../support/e2e-headline';
import { featBitExampleFlags, newDashboardFlag } from '../support/featbit-example-flags';
import { FeatBitTestServer } from '../support/featbit-server';
import { buildNextExample, NEXT_EXAMPLE_DIR, type RunningNextExample, startNextExample } from '../support/next-example';
import { carriedFragments, type CompanyFragment, perCompanyFragments, staticOutputFiles } from '../support/static-output';
import { expectFlagsExplorerOverridesFromFirstPaint, expectToolbarSwitchesTheHeadline } from '../support/e2e-toolbar';
import { delivery } from '../support/webhooks';

/**
 * The Next.js example built (`next build`) and served (`next start`) as in production, driven by Chromium:
 * flag-dependent server HTML, hydration without a flags request or a warning, server and client components
 * agreeing (App and Pages Router), the flag-gated route handler and proxy, and a signed webhook expiring a
 * statically cached page.
 */
const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url));
const SECRET = 'whsec_next_e2e';
// The key for overrides and precomputed codes, for the build (it prebuilds the landing page's codes) and the servers.
const FLAGS_SECRET = randomBytes(32).toString('base64url');
process.env.FLAGS_SECRET = FLAGS_SECRET;
// What lets a browser use the toolbar under `next start` (production): see examples/next/lib/toolbar-access.ts.
const TOOLBAR_TOKEN = randomBytes(16).toString('hex');
const TOOLBAR_COOKIES = { 'flagwire-toolbar': TOOLBAR_TOKEN };

// One `next build` for the file: the FeatBit switch is read when the server starts, so both runs share it.
let built: Promise<string> | null = null;
const buildOnce = () => (built ??= buildNextExample());

/** Polls the app's flags endpoint until the server serves what `served` looks for. */
async function untilServed(url: string, served: (body: { flags: Record<string, { value: unknown }> }) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!served(await (await fetch(`${url}/api/flags`, { headers: { cookie: 'company=acme.test' } })).json())) {
    if (Date.now() > deadline) throw new Error(what);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Fetches the page as `visitor` until its server-rendered headline is `text`. */
async function untilPageShows(url: string, visitor: string, text: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (headlineInHtml(await (await fetch(url, { headers: { cookie: `${VISITOR_COOKIE}=${visitor}` } })).text()) !== text) {
    if (Date.now() > deadline) throw new Error(`the page did not show "${text}" again`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Revalidates the page's flags until `selector` shows `text`. The provider revalidates on focus and on
 * reconnect; focus revalidations are throttled (one in 5 s, and Chromium focusing the new page may have
 * used it), so the page is told it is back online.
 */
async function revalidateUntil(page: Page, selector: string, text: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    try {
      await page.waitForFunction(([s, t]) => document.querySelector(s as string)?.textContent === t, [selector, text], { timeout: 1000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}

/**
 * What `next build` wrote for every visitor alike (static HTML, RSC payloads) carries no company's flag
 * values. Checked right after the build, before any server runs and regenerates a page.
 */
describe('Next.js example build output', () => {
  let fragments: CompanyFragment[];
  let buildOutput: string;
  beforeAll(async () => {
    buildOutput = await buildOnce();
    const file = parse(readFileSync(join(NEXT_EXAMPLE_DIR, 'flagwire.flags.json'), 'utf8')) as { companies: { keys: { domain: string } }[] };
    // The example's context: the company by the cookie's domain, and Ada, the signed-in user.
    fragments = await perCompanyFragments(join(NEXT_EXAMPLE_DIR, 'flagwire.flags.json'), file.companies.map((c) => c.keys.domain), { email: 'ada@acme.test' });
  }, 240_000);

  it('type-checks the app and warns of nothing deprecated', () => {
    expect(buildOutput).toMatch(/Finished TypeScript in/);
    expect(buildOutput).not.toMatch(/Skipping validation of types/);
    expect(buildOutput).not.toMatch(/deprecated/i);
    // A first build on a clean checkout (as CI's) warns that it has no build cache: that is the machine's
    // state, not the app's, so it is the one warning let through.
    const warnings = buildOutput.split('\n').filter((line) => /^\s*⚠/.test(line) && !/No build cache found/.test(line));
    expect(warnings).toEqual([]);
  });

  it('writes no company’s flag values into any static page', () => {
    expect(fragments.map((f) => `${f.company} ${f.key}`)).toContain('acme.test bulk-export');
    const outputs = staticOutputFiles(join(NEXT_EXAMPLE_DIR, '.next/server/app'));
    // The static pricing page was built, so there is something to check.
    expect(outputs.map((file) => file.slice(NEXT_EXAMPLE_DIR.length))).toContain('.next/server/app/pricing.html');
    const carried = outputs.flatMap((file) => carriedFragments(readFileSync(file, 'utf8'), fragments).map((f) => `${file.slice(NEXT_EXAMPLE_DIR.length)}: ${f.company} ${f.key}`));
    expect(carried).toEqual([]);
  });

  it('prebuilds the landing page statically: one page per precomputed headline', () => {
    const landing = buildOutput.split('\n').filter((line) => line.includes('/landing/'));
    expect(landing.filter((line) => /●\s+\/landing\/[\w.-]+$/.test(line.trim().replace(/^[├└│\s]+/, '')))).toHaveLength(3);
  });

  it('finds a company’s values inlined as Next inlines a payload in HTML: the check above can fail', () => {
    const acme = fragments.filter((f) => f.company === 'acme.test').map((f) => f.fragment);
    const html = `<script>self.__next_f.push([1,${JSON.stringify(`{"snapshot":{"v":2,"flags":{${acme.join(',')}}}}`)}])</script>`;
    expect(carriedFragments(html, fragments).map((f) => `${f.company} ${f.key}`)).toContain('acme.test bulk-export');
  });
});

describe('Next.js example in Chromium', () => {
  let dir: string;
  let flagsFile: string;
  let app: RunningNextExample;
  let browser: Browser;
  const consoleProblems: string[] = [];

  beforeAll(async () => {
    await buildOnce();
    dir = mkdtempSync(join(tmpdir(), 'flagwire-next-e2e-'));
    flagsFile = join(dir, 'flagwire.flags.json');
    copyFileSync(join(NEXT_EXAMPLE_DIR, 'flagwire.flags.json'), flagsFile);
    app = await startNextExample({ FLAGWIRE_FLAGS_FILE: flagsFile, FLAGWIRE_WEBHOOK_SECRET: SECRET, FLAGWIRE_TOOLBAR_TOKEN: TOOLBAR_TOKEN });
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function openPage(company: string): Promise<{ page: Page; requests: string[] }> {
    const context = await browser.newContext();
    await context.addCookies([{ name: 'company', value: company, url: app.url }]);
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(new URL(request.url()).pathname));
    collectConsoleProblems(page, consoleProblems);
    return { page, requests };
  }

  const get = (path: string, company = 'acme.test', init: RequestInit = {}) =>
    fetch(`${app.url}${path}`, { redirect: 'manual', ...init, headers: { cookie: `company=${company}`, ...init.headers } });

  it('renders flag-dependent content on the server, in server and client components alike', async () => {
    const html = await (await get('/')).text();
    expect(html, app.output()).toContain('<h1 id="dashboard">New dashboard</h1>');
    expect(html).toContain('server: new dashboard');
    expect(html).toContain('client: new dashboard');
    expect(html).toContain('1<!-- --> of <!-- -->3<!-- --> exports used this month');
    // Server-only flags are evaluated on the server and never sent.
    expect(html).not.toContain('internal-audit');
    const globex = await (await get('/', 'globex.test')).text();
    expect(globex).toContain('server: classic dashboard');
    expect(globex).toContain('client: classic dashboard');
    expect(globex).toContain('You are in the beta');
  });

  it('hydrates with no request to the flags endpoint and no console warning; both components agree', async () => {
    const { page, requests } = await openPage('acme.test');
    await gotoSettled(page, app.url);
    expect(await page.textContent('#server-dashboard')).toBe('server: new dashboard');
    expect(await page.textContent('#client-dashboard')).toBe('client: new dashboard');
    expect(requests).not.toContain('/api/flags');
    expect(requests[0]).toBe('/');
    // Switching company: a new request, new flags; the two components still agree.
    await page.click('a[href="/switch?company=globex.test"]');
    await page.waitForFunction(() => document.getElementById('server-dashboard')?.textContent === 'server: classic dashboard');
    expect(await page.textContent('#client-dashboard')).toBe('client: classic dashboard');
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'next-example.png'), fullPage: true });
    expect(consoleProblems, consoleProblems.join('\n')).toEqual([]);
    await page.context().close();
  });

  it('counts exposures once per page view: what the server read and what the browser showed, a static page’s from the browser', async () => {
    interface Logged {
      flag: string;
      shown: unknown;
      pageView: string;
      source: 'server' | 'browser';
    }
    const logged = (): Logged[] =>
      app
        .output()
        .split('\n')
        .filter((line) => line.startsWith('exposure '))
        .map((line) => JSON.parse(line.slice('exposure '.length)) as Logged);
    const before = logged().length;
    const { page } = await openPage('acme.test');
    await gotoSettled(page, app.url);
    // Server components read the headline, the dashboard and the beta banner; client components show the
    // headline, the dashboard and bulk export. One page view: each flag once, whichever side reported it first.
    const expected = ['beta-banner', 'bulk-export', 'headline', 'new-dashboard'];
    const deadline = Date.now() + 15_000;
    while (logged().length < before + expected.length && Date.now() < deadline) await page.waitForTimeout(25);
    const visit = logged().slice(before);
    expect(visit.map((exposure) => exposure.flag).sort(), app.output()).toEqual(expected);
    expect(new Set(visit.map((exposure) => exposure.pageView)).size).toBe(1);
    expect(visit.find((exposure) => exposure.flag === 'beta-banner')?.source).toBe('server');
    expect(visit.find((exposure) => exposure.flag === 'bulk-export')?.source).toBe('browser');
    // Revalidation and re-renders count nothing more (the page's live stream and SWR stay open meanwhile).
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await gotoSettled(page, null);
    const reloaded = Date.now() + 15_000;
    while (logged().length < before + 2 * expected.length && Date.now() < reloaded) await page.waitForTimeout(25);
    const both = logged().slice(before);
    expect(both).toHaveLength(2 * expected.length);
    expect(new Set(both.map((exposure) => exposure.pageView)).size).toBe(2);
    // The static landing page has no request to count on: the browser reports the headline it shows.
    const landingStart = logged().length;
    await gotoSettled(page, `${app.url}/landing`);
    const landed = Date.now() + 15_000;
    while (logged().length === landingStart && Date.now() < landed) await page.waitForTimeout(25);
    const landing = logged().slice(landingStart);
    // The variation named, as the flag defines it: the one whose text the page shows.
    expect(landing).toMatchObject([{ flag: 'headline', source: 'browser' }]);
    expect(headlineTexts(flagsFile)[landing[0]?.shown as HeadlineVariation]).toBe(await page.textContent('#headline'));
    expect(both.map((exposure) => exposure.pageView)).not.toContain(landing[0]?.pageView);
    await page.context().close();
  }, 60_000);

  it('Pages Router: withFlags hands the same values to getServerSideProps and the client', async () => {
    const html = await (await get('/legacy')).text();
    expect(html).toContain('server: <!-- -->new');
    expect(html).toContain('client: <!-- -->new');
    const { page, requests } = await openPage('globex.test');
    await page.goto(`${app.url}/legacy`, { waitUntil: 'networkidle' });
    expect(await page.textContent('#legacy-server')).toBe('server: classic');
    expect(await page.textContent('#legacy-client')).toBe('client: classic');
    expect(requests).not.toContain('/api/flags');
    expect(consoleProblems, consoleProblems.join('\n')).toEqual([]);
    await page.context().close();
  });

  it('serves the flags endpoint per request, never cached', async () => {
    const response = await get('/api/flags', 'globex.test');
    expect(response.headers.get('cache-control')).toContain('no-store');
    const body = await response.json();
    expect(body.flags['new-dashboard']).toEqual({ value: false });
    expect(body.flags['beta-banner']).toEqual({ value: true });
    expect(body.flags).not.toHaveProperty('internal-audit');
  });

  it('proxy.ts redirects by flag before the page renders', async () => {
    const refused = await get('/labs', 'acme.test');
    expect(refused.status).toBe(307);
    expect(new URL(refused.headers.get('location') ?? '', app.url).pathname).toBe('/');
    const allowed = await get('/labs', 'initech.test');
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('<h1 id="labs">Labs</h1>');
  });

  it('runs flagwire/edge in a route: flags in code, and the visitor’s snapshot from the flags endpoint', async () => {
    const acme = await (await get('/api/edge', 'acme.test')).json();
    expect(acme).toEqual({ newDashboard: true });
    const globex = await (await get('/api/edge', 'globex.test')).json();
    expect(globex).toEqual({ newDashboard: false });
  });

  it('gates the route handler by the request’s flags; tracked exports use the allowance up', async () => {
    expect((await get('/api/export', 'globex.test', { method: 'POST' })).status).toBe(403);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await get('/api/export', 'acme.test', { method: 'POST' })).status);
    // Acme had used 1 of 3: two more exports, then the entitlement is off — still on the plan, but over its
    // limit, which the page's next render says.
    expect(statuses).toEqual([200, 200, 403]);
    const exportFlag = (await (await get('/api/flags', 'acme.test')).json()).flags['bulk-export'];
    expect(exportFlag).toMatchObject({ value: false, entitlement: { usage: 3, allocation: 3, exceeded: true } });
    expect(await (await get('/')).text()).toMatch(/3<!-- --> of <!-- -->3<!-- --> exports used this month<!-- -->? — limit reached/);
  });

  it("live: a change to a company re-renders its open pages' server components, with no reload, and no other company's", async () => {
    const opened = await Promise.all(['acme.test', 'globex.test'].map((company) => openPage(company)));
    const refreshes = opened.map(({ page }) => {
      let count = 0;
      // router.refresh() asks for the page's server components again: a request with Next's RSC header.
      page.on('request', (request) => {
        if (request.headers().rsc === '1') count++;
      });
      return () => count;
    });
    for (const { page } of opened) {
      const connected = page.waitForResponse((response) => response.url().endsWith('/api/flagwire/live'));
      await gotoSettled(page, app.url);
      await connected;
      await page.evaluate(() => Object.assign(window, { stillTheSamePage: true }));
    }
    const [acme, globex] = opened.map(({ page }) => page) as [Page, Page];
    const signed = delivery('company.updated', { id: 'acme', keys: { domain: 'acme.test' } }, { secret: SECRET });
    expect((await fetch(`${app.url}/api/webhooks/schematic`, { method: 'POST', body: signed.raw, headers: signed.headers })).status).toBe(200);
    const deadline = Date.now() + 10_000;
    while ((refreshes[0]?.() ?? 0) === 0) {
      if (Date.now() > deadline) throw new Error("acme's page was not refreshed");
      await acme.waitForTimeout(25);
    }
    expect(await acme.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
    // A flags change reaches every page: globex's too, which the company change above did not refresh.
    expect(refreshes[1]?.()).toBe(0);
    const original = readFileSync(flagsFile, 'utf8');
    try {
      editFlagsFile(flagsFile, (file) => (file.flags['beta-banner'].rules[0].when = 'company.seats >= 5000'));
      await globex.waitForFunction(() => document.getElementById('beta') === null, undefined, { timeout: 10_000 });
      expect(await globex.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
    } finally {
      writeFileSync(flagsFile, original);
    }
    await globex.waitForFunction(() => document.getElementById('beta') !== null, undefined, { timeout: 10_000 });
    expect(consoleProblems, consoleProblems.join('\n')).toEqual([]);
    for (const { page } of opened) await page.context().close();
  }, 60_000);

  it('keeps a static page cached through a flags change until a signed webhook expires it', async () => {
    const pricing = async () => (await (await get('/pricing')).text()).includes('Spring sale');
    expect(await pricing()).toBe(false);
    // Turn the sale on in the flags file; the client reloads it, the cached page does not change.
    const flags = parse(readFileSync(flagsFile, 'utf8'));
    flags.flags['spring-sale'].default = true;
    writeFileSync(flagsFile, JSON.stringify(flags, null, 2));
    const deadline = Date.now() + 10_000;
    while (!(await (await get('/api/flags')).json()).flags['spring-sale'].value) {
      if (Date.now() > deadline) throw new Error('the client did not reload the flags file');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await pricing()).toBe(false);
    // A forged delivery is refused and changes nothing.
    const forged = delivery('flag.updated', { id: 'flag_1', key: 'spring-sale' }, { secret: 'whsec_wrong' });
    expect((await fetch(`${app.url}/api/webhooks/schematic`, { method: 'POST', body: forged.raw, headers: forged.headers })).status).toBe(400);
    expect(await pricing()).toBe(false);
    const signed = delivery('flag.updated', { id: 'flag_1', key: 'spring-sale' }, { secret: SECRET });
    const accepted = await fetch(`${app.url}/api/webhooks/schematic`, { method: 'POST', body: signed.raw, headers: signed.headers });
    expect(accepted.status, await accepted.clone().text()).toBe(200);
    expect(await pricing()).toBe(true);
  }, 30_000);

  describe('the headline experiment', () => {
    let texts: Record<HeadlineVariation, string>;
    beforeAll(() => {
      texts = headlineTexts(flagsFile);
    });

    const openVisitor = async (visitor: string | null) => (await openVisitorPage(browser, app.url, visitor, consoleProblems)).page;

    /** Edits the flags file and waits until the server serves the edit (the client reloads the file). */
    async function editFlags(edit: (file: ExampleFlagsFile) => void, served: (body: { flags: Record<string, { value: unknown }> }) => boolean) {
      editFlagsFile(flagsFile, edit);
      await untilServed(app.url, served, 'the client did not reload the flags file');
    }

    it('serves each visitor’s FeatBit-dispatched variation in the server HTML, server and client components agreeing', async () => {
      const served = new Set<HeadlineVariation>();
      for (const visitor of VISITORS) {
        const response = await fetch(app.url, { headers: { cookie: `${VISITOR_COOKIE}=${visitor}` } });
        const html = await response.text();
        const variation = expectedVariation(visitor);
        expect(headlineInHtml(html), visitor).toBe(texts[variation]);
        expect(html, visitor).toContain(`<p id="server-headline">server variation: ${variation}</p>`);
        expect(assignedVisitor(response), visitor).toBeUndefined();
        served.add(variation);
      }
      expect([...served].sort()).toEqual(['bold', 'control', 'question']);
    });

    it('never changes the headline from first paint through hydration and a revalidation', async () => {
      const visitors = visitorsCoveringEveryVariation();
      const pages = await Promise.all(visitors.map(async (visitor) => ({ visitor, page: await openVisitor(visitor) })));
      const original = readFileSync(flagsFile, 'utf8');
      try {
        // A flags change elsewhere: each page revalidates, and the dashboard badge (a client component) shows the
        // new values were rendered; the headline, whose value did not change, must not have moved.
        await editFlags(
          (file) => (file.flags['new-dashboard'].rules[0].when = 'company.plan in [none]'),
          (body) => body.flags['new-dashboard']?.value === false,
        );
        for (const { page } of pages) await revalidateUntil(page, '#client-dashboard', 'client: classic dashboard');
      } finally {
        writeFileSync(flagsFile, original);
      }
      await expectHeadlinesNeverMoved(pages, texts);
      await editFlags(() => {}, (body) => body.flags['new-dashboard']?.value === true);
      expect(consoleProblems, consoleProblems.join('\n')).toEqual([]);
    }, 60_000);

    it('records a headline that does change: the check above can fail', async () => {
      const visitor = visitorsCoveringEveryVariation()[0] as string;
      const variation = expectedVariation(visitor);
      const page = await openVisitor(visitor);
      const original = readFileSync(flagsFile, 'utf8');
      try {
        await editFlags(
          (file) => (file.flags.headline.variations[variation] = 'A changed headline'),
          (body) => Object.values(body.flags).some((flag) => flag.value === 'A changed headline'),
        );
        await revalidateUntil(page, '#headline', 'A changed headline');
        expect(await headlineChanges(page)).toEqual([texts[variation], 'A changed headline']);
      } finally {
        writeFileSync(flagsFile, original);
        await page.context().close();
      }
      await editFlags(() => {}, (body) => !Object.values(body.flags).some((flag) => flag.value === 'A changed headline'));
      // Pages and route handlers may each hold their own copy of the client (Next can bundle them apart), each
      // reloading the file on its own: the next test needs the page, not only the endpoint, back on the original.
      await untilPageShows(app.url, visitor, texts[variation]);
    }, 60_000);

    it('the static landing page: each visitor gets their variation from the static cache, the same on every visit', async () => {
      const landing = (visitor: string, cookies = '') => fetch(`${app.url}/landing`, { headers: { cookie: `${VISITOR_COOKIE}=${visitor}${cookies}` } });
      const served = new Set<HeadlineVariation>();
      for (const visitor of VISITORS.slice(0, 12)) {
        const first = await landing(visitor);
        const firstHtml = await first.text();
        const again = await landing(visitor);
        const againHtml = await again.text();
        expect(headlineInHtml(firstHtml), visitor).toBe(texts[expectedVariation(visitor)]);
        expect(headlineInHtml(againHtml), visitor).toBe(texts[expectedVariation(visitor)]);
        // Served from the static cache, not rendered (nor its flags evaluated) for this request.
        expect([first.headers.get('x-nextjs-cache'), again.headers.get('x-nextjs-cache')], visitor).toEqual(['HIT', 'HIT']);
        served.add(expectedVariation(visitor));
      }
      expect([...served].sort()).toEqual(['bold', 'control', 'question']);
      // Pages of one variation are one page: rendered once, whoever asks.
      const [a, b] = VISITORS.filter((visitor) => expectedVariation(visitor) === 'bold');
      const renderedAt = (html: string) => /<p id="rendered-at">([^<]*)<\/p>/.exec(html)?.[1];
      expect(renderedAt(await (await landing(a as string)).text())).toBe(renderedAt(await (await landing(b as string)).text()));
      // An override (the toolbar's cookie, or Flags Explorer's) picks its static page too.
      const control = VISITORS.find((visitor) => expectedVariation(visitor) === 'control') as string;
      const overrides = await encryptOverrides({ headline: texts.question }, FLAGS_SECRET);
      expect(headlineInHtml(await (await landing(control, `; vercel-flag-overrides=${overrides}`)).text())).toBe(texts.question);
      // A code this app did not sign opens no page.
      expect((await fetch(`${app.url}/landing/eyJhbGciOiJIUzI1NiJ9.AA.forged`)).status).toBe(404);
    }, 30_000);

    it('the flags toolbar: a browser with access switches the headline, and the server HTML changes from first paint', async () => {
      await expectToolbarSwitchesTheHeadline(browser, app.url, texts, consoleProblems, TOOLBAR_COOKIES);
      expect(consoleProblems, consoleProblems.join('\n')).toEqual([]);
    }, 60_000);

    it('the flags toolbar refuses anonymous visitors in production: no toolbar, no list, no switch', async () => {
      const html = await (await fetch(app.url, { headers: { cookie: `${VISITOR_COOKIE}=${VISITORS[0]}` } })).text();
      expect(html).not.toContain('data-flagwire-toolbar');
      expect((await fetch(`${app.url}/api/flagwire/overrides`)).status).toBe(403);
      const forgedAccess = await fetch(`${app.url}/api/flagwire/overrides`, { headers: { cookie: 'flagwire-toolbar=guess' } });
      expect(forgedAccess.status).toBe(403);
      const change = await fetch(`${app.url}/api/flagwire/overrides`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-flagwire-toolbar': '1' },
        body: JSON.stringify({ set: { headline: texts.bold } }),
      });
      expect(change.status).toBe(403);
      // (The proxy gives this first visit a visitor id; no overrides cookie is written.)
      expect(change.headers.getSetCookie().filter((cookie) => cookie.startsWith('vercel-flag-overrides='))).toEqual([]);
    });

    it("Flags Explorer: the discovery route answers only its proof of FLAGS_SECRET; its overrides reach the page from first paint", async () => {
      await expectFlagsExplorerOverridesFromFirstPaint(browser, app.url, texts, FLAGS_SECRET, consoleProblems);
      expect(consoleProblems, consoleProblems.join('\n')).toEqual([]);
      // Server components read the override too.
      const control = VISITORS.find((visitor) => expectedVariation(visitor) === 'control') as string;
      const overrides = await encryptOverrides({ headline: texts.bold }, FLAGS_SECRET);
      const html = await (await fetch(app.url, { headers: { cookie: `${VISITOR_COOKIE}=${control}; vercel-flag-overrides=${overrides}` } })).text();
      expect(headlineInHtml(html)).toBe(texts.bold);
      expect(html).toContain('<p id="server-headline">server variation: bold</p>');
    });

    it('first visit: the proxy assigns a visitor cookie, and the page shows that visitor’s variation from first paint', async () => {
      const response = await fetch(app.url);
      const assigned = assignedVisitor(response);
      expect(assigned).toMatch(/^[\w-]{8,64}$/);
      expect(headlineInHtml(await response.text())).toBe(texts[expectedVariation(assigned as string)]);

      const page = await openVisitor(null);
      await expectFirstVisitKeepsItsVariation(page, app.url, texts);
      expect(consoleProblems, consoleProblems.join('\n')).toEqual([]);
      await page.context().close();
    }, 30_000);
  });

  it('turns the webhook route off when no secret is set, saying so, so no well-known secret can forge deliveries', async () => {
    const unconfigured = await startNextExample({ FLAGWIRE_FLAGS_FILE: flagsFile, FLAGWIRE_WEBHOOK_SECRET: '' });
    try {
      // Signed with the secret the example used to fall back on.
      const forged = delivery('flag.updated', { id: 'flag_1', key: 'spring-sale' }, { secret: 'whsec_example' });
      const response = await fetch(`${unconfigured.url}/api/webhooks/schematic`, { method: 'POST', body: forged.raw, headers: forged.headers });
      expect(response.status).toBe(404);
      expect(unconfigured.output()).toContain('set FLAGWIRE_WEBHOOK_SECRET');
    } finally {
      await unconfigured.close();
    }
  }, 60_000);
});

/**
 * The same build started with `FLAGWIRE_FEATBIT_URL` and `FLAGWIRE_FEATBIT_SECRET`: flags come from a
 * FeatBit-protocol server holding the example's flags as FeatBit flags. Server and client components, the
 * proxy, and the headline experiment answer from FeatBit; a patch pushed from FeatBit reaches open pages on
 * their next revalidation, and the headline never moves.
 */
describe('Next.js example on FeatBit in Chromium', () => {
  let featbit: FeatBitTestServer;
  let texts: Record<HeadlineVariation, string>;
  let app: RunningNextExample;
  let browser: Browser;
  const consoleProblems: string[] = [];

  beforeAll(async () => {
    await buildOnce();
    featbit = await new FeatBitTestServer().start();
    const flagsFile = join(NEXT_EXAMPLE_DIR, 'flagwire.flags.json');
    featbit.setAll(featBitExampleFlags(flagsFile));
    texts = headlineTexts(flagsFile);
    // No flags file to fall back on: were the switch not read, the app would have no flags and the checks below would fail.
    app = await startNextExample({ FLAGWIRE_FEATBIT_URL: featbit.url, FLAGWIRE_FEATBIT_SECRET: featbit.secret, FLAGWIRE_FLAGS_FILE: join(tmpdir(), 'flagwire-no-such-file.json') });
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await featbit?.stop();
  });

  const get = (path: string, cookie: string) => fetch(`${app.url}${path}`, { redirect: 'manual', headers: { cookie } });

  it('answers from FeatBit in server and client components and in proxy.ts', async () => {
    const acme = await (await get('/', 'company=acme.test')).text();
    expect(acme, app.output()).toContain('server: new dashboard');
    expect(acme).toContain('client: new dashboard');
    expect(acme).not.toContain('internal-audit');
    const globex = await (await get('/', 'company=globex.test')).text();
    expect(globex).toContain('client: classic dashboard');
    expect(globex).toContain('You are in the beta');
    expect((await get('/labs', 'company=acme.test')).status).toBe(307);
    expect((await get('/labs', 'company=initech.test')).status).toBe(200);
    expect(featbit.counts.connections).toBeGreaterThanOrEqual(1);
  });

  it('serves each visitor’s FeatBit-dispatched variation in the server HTML, server and client components agreeing', async () => {
    const served = new Set<HeadlineVariation>();
    for (const visitor of VISITORS) {
      const html = await (await get('/', `${VISITOR_COOKIE}=${visitor}`)).text();
      const variation = expectedVariation(visitor);
      expect(headlineInHtml(html), visitor).toBe(texts[variation]);
      expect(html, visitor).toContain(`<p id="server-headline">server variation: ${variation}</p>`);
      served.add(variation);
    }
    expect([...served].sort()).toEqual(['bold', 'control', 'question']);
  });

  it('never changes the headline through hydration and a revalidation after a FeatBit patch', async () => {
    const visitors = visitorsCoveringEveryVariation();
    const pages = await Promise.all(visitors.map(async (visitor) => ({ visitor, ...(await openVisitorPage(browser, app.url, visitor, consoleProblems)) })));
    // Acme loses the new dashboard in FeatBit: each open page shows it on revalidation; the headline must not move.
    featbit.push({ flags: [newDashboardFlag([], '2025-06-01T00:00:00.000Z')] });
    await untilServed(app.url, (body) => body.flags['new-dashboard']?.value === false, 'the FeatBit patch never reached the app');
    for (const { page } of pages) await revalidateUntil(page, '#client-dashboard', 'client: classic dashboard');
    await expectHeadlinesNeverMoved(pages, texts);
    expect(consoleProblems, consoleProblems.join('\n')).toEqual([]);
  }, 60_000);
});
