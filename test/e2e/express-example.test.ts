import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { featBitSourceFromEnv } from '../../examples/express/flags-client';
import { startExample } from '../../examples/express/server';
import { editFlagsFile, expectedVariation, type HeadlineVariation, headlineInHtml, headlineTexts, VISITOR_COOKIE, VISITORS, visitorsCoveringEveryVariation } from '../examples/headline-experiment';
import { collectConsoleProblems, headlineChanges, launchChromium } from '../support/browser';
import { expectFirstVisitKeepsItsVariation, expectHeadlinesNeverMoved, openVisitorPage } from '../support/e2e-headline';
import { expectFlagsExplorerOverridesFromFirstPaint, expectToolbarSwitchesTheHeadline } from '../support/e2e-toolbar';
import { featBitExampleFlags, headlineFlag, newDashboardFlag } from '../support/featbit-example-flags';
import { FeatBitTestServer } from '../support/featbit-server';
import { measureLiveLatency, percentile } from '../support/live-latency';

/**
 * The Express example in real headless Chromium: server HTML carries the flag-dependent content, the page
 * hydrates without a request to the flags endpoint or a hydration warning, a flags-file edit reaches the
 * DOM over the live channel, and the gated API follows `req.flags`.
 */
const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url));
/** The key the example seals overrides with in the headline suite, as an app's FLAGS_SECRET. */
const FLAGS_SECRET = randomBytes(32).toString('base64url');
const EXAMPLE_FLAGS_FILE = fileURLToPath(new URL('../../examples/express/flagwire.flags.json', import.meta.url));

/** Waits until `count` pages hold the example's live channel open. */
async function waitForLiveConnections(example: { liveConnections: number }, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (example.liveConnections < count) {
    if (Date.now() > deadline) throw new Error(`${example.liveConnections} of ${count} pages opened the live channel`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('Express example in Chromium', () => {
  let dir: string;
  let flagsFile: string;
  let example: Awaited<ReturnType<typeof startExample>>;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const consoleProblems: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flagwire-e2e-'));
    flagsFile = join(dir, 'flagwire.flags.json');
    copyFileSync(fileURLToPath(new URL('../../examples/express/flagwire.flags.json', import.meta.url)), flagsFile);
    example = await startExample({ port: 0, flagsFile, log: () => {} });
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('request', (request) => requests.push(new URL(request.url()).pathname));
    collectConsoleProblems(page, consoleProblems);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await example?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('puts flag-dependent content in the server HTML, and only client flags in the payload', async () => {
    const html = await (await fetch(example.url, { headers: { cookie: 'company=acme.test' } })).text();
    expect(html).toContain('<h1 id="dashboard">New dashboard</h1>');
    expect(html).toContain('exports used this month');
    expect(html).not.toContain('internal-audit');
    expect(html).not.toContain('seats');
  });

  it('hydrates with no request to the flags endpoint and no console warning', async () => {
    await page.goto(example.url, { waitUntil: 'networkidle' });
    await page.waitForFunction(() => document.querySelector('#export') !== null);
    const deadline = Date.now() + 5000;
    while (example.liveConnections < 1 && Date.now() < deadline) await page.waitForTimeout(20);
    expect(example.liveConnections).toBe(1);
    expect(await page.textContent('#dashboard')).toBe('New dashboard');
    expect(requests).not.toContain('/api/flags');
    expect(requests).toEqual(expect.arrayContaining(['/', '/app.js']));
    expect(consoleProblems, consoleProblems.join('\n')).toEqual([]);
  });

  it('updates the DOM over the live channel when the flags file is edited', async () => {
    const latencies = await measureLiveLatency(page, flagsFile, 6);
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(join(artifacts, 'live-latency.json'), JSON.stringify({ latencies, p50: percentile(latencies, 50), p99: percentile(latencies, 99) }));
    expect(latencies).toHaveLength(6);
    expect(await page.textContent('#dashboard')).toBe('New dashboard');
    expect(consoleProblems).toEqual([]);
  }, 90_000);

  it('gates the API by req.flags, and a tracked export moves the page past its limit', async () => {
    await page.click('#export');
    await page.waitForFunction(() => document.getElementById('export-message')?.textContent === 'Export started.');
    await page.waitForFunction(() => document.getElementById('export-usage')?.textContent?.startsWith('2 of 3'));
    await page.click('#export');
    // The third export uses the allowance up: the entitlement turns off, and the live channel says so; the
    // company is still on the plan, so the page says the limit is reached rather than dropping the usage line.
    await page.waitForFunction(() => (document.getElementById('export') as HTMLButtonElement | null)?.disabled === true, undefined, { timeout: 10_000 });
    expect(await page.textContent('#export-usage')).toBe('3 of 3 exports used this month — limit reached');
    const refused = await page.evaluate(async () => (await fetch('/api/export', { method: 'POST' })).status);
    expect(refused).toBe(403);
    // The browser logs the refused request itself; that one is expected.
    consoleProblems.splice(0, consoleProblems.length, ...consoleProblems.filter((m) => !m.includes('status of 403')));
    await page.click('#switch-initech\\.test');
    await page.waitForFunction(() => document.getElementById('dashboard')?.textContent === 'New dashboard');
    expect(await page.isEnabled('#export')).toBe(true);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'express-example.png'), fullPage: true });
    expect(consoleProblems).toEqual([]);
  }, 60_000);
});

/**
 * The headline experiment in Chromium: every visitor sees their variation from the first paint, and the
 * element's text never changes through hydration and revalidations; a first visit is assigned an id that
 * the page it gets was rendered for.
 */
describe('Express example: the headline experiment in Chromium', () => {
  let dir: string;
  let flagsFile: string;
  let texts: Record<HeadlineVariation, string>;
  let example: Awaited<ReturnType<typeof startExample>>;
  let browser: Browser;
  const consoleProblems: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flagwire-e2e-headline-'));
    flagsFile = join(dir, 'flagwire.flags.json');
    copyFileSync(fileURLToPath(new URL('../../examples/express/flagwire.flags.json', import.meta.url)), flagsFile);
    texts = headlineTexts(flagsFile);
    example = await startExample({ port: 0, flagsFile, log: () => {}, flagsSecret: FLAGS_SECRET });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await example?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const openVisitor = (visitor: string | null) => openVisitorPage(browser, example.url, visitor, consoleProblems);

  it('serves each visitor’s FeatBit-dispatched variation in the server HTML, all three across visitors', async () => {
    const served = new Set<HeadlineVariation>();
    for (const visitor of VISITORS) {
      const html = await (await fetch(example.url, { headers: { cookie: `${VISITOR_COOKIE}=${visitor}` } })).text();
      const variation = expectedVariation(visitor);
      expect(headlineInHtml(html), visitor).toBe(texts[variation]);
      served.add(variation);
    }
    expect([...served].sort()).toEqual(['bold', 'control', 'question']);
  });

  it('never changes the headline from first paint through hydration and two revalidations', async () => {
    const visitors = visitorsCoveringEveryVariation();
    const pages = await Promise.all(visitors.map(async (visitor) => ({ visitor, ...(await openVisitor(visitor)) })));
    await waitForLiveConnections(example, visitors.length);
    // A flags change elsewhere: the live channel makes every page revalidate, and the dashboard heading shows
    // the new values were rendered; the headline, whose value did not change, must not have moved.
    const original = readFileSync(flagsFile, 'utf8');
    try {
      // Every open page revalidates over the live channel.
      editFlagsFile(flagsFile, (file) => (file.flags['new-dashboard'].rules[0].when = 'company.plan in [none]'));
      for (const { page } of pages) await page.waitForFunction(() => document.getElementById('dashboard')?.textContent === 'Classic dashboard');
    } finally {
      writeFileSync(flagsFile, original);
    }
    for (const { page } of pages) await page.waitForFunction(() => document.getElementById('dashboard')?.textContent === 'New dashboard');
    for (const { visitor, requests } of pages) expect(requests.filter((path) => path === '/api/flags').length, visitor).toBeGreaterThanOrEqual(2);
    await expectHeadlinesNeverMoved(pages, texts);
    expect(consoleProblems, consoleProblems.join('\n')).toEqual([]);
  }, 60_000);

  it('records a headline that does change: the check above can fail', async () => {
    const visitor = visitorsCoveringEveryVariation()[0] as string;
    const { page } = await openVisitor(visitor);
    await waitForLiveConnections(example, 1);
    const original = readFileSync(flagsFile, 'utf8');
    const variation = expectedVariation(visitor);
    try {
      editFlagsFile(flagsFile, (file) => (file.flags.headline.variations[variation] = 'A changed headline'));
      await page.waitForFunction(() => document.getElementById('headline')?.textContent === 'A changed headline');
      expect(await headlineChanges(page)).toEqual([texts[variation], 'A changed headline']);
    } finally {
      writeFileSync(flagsFile, original);
      await page.context().close();
    }
  }, 30_000);

  it('first visit: the server assigns a visitor cookie, and the page shows that visitor’s variation from first paint', async () => {
    const { page } = await openVisitor(null);
    await waitForLiveConnections(example, 1);
    // Later visits keep the id, and the variation.
    await expectFirstVisitKeepsItsVariation(page, example.url, texts);
    expect(consoleProblems, consoleProblems.join('\n')).toEqual([]);
    await page.context().close();
  }, 30_000);

  it("Flags Explorer: the discovery endpoint answers only FLAGS_SECRET's proof, and its overrides cookie shows from first paint", async () => {
    await expectFlagsExplorerOverridesFromFirstPaint(browser, example.url, texts, FLAGS_SECRET, consoleProblems);
    expect(consoleProblems, consoleProblems.join('\n')).toEqual([]);
  }, 30_000);

  it('the flags toolbar switches the headline for this browser: the server HTML changes, a badge shows, Reset gives it back', async () => {
    await expectToolbarSwitchesTheHeadline(browser, example.url, texts, consoleProblems);
    expect(consoleProblems, consoleProblems.join('\n')).toEqual([]);
  }, 30_000);
});

/**
 * The same example switched to FeatBit by its environment (`FLAGWIRE_FEATBIT_URL`, `FLAGWIRE_FEATBIT_SECRET`):
 * its flags come from a FeatBit-protocol server holding the example's flags as FeatBit flags. The headline
 * experiment still shows each visitor their dispatched variation from first paint, a patch pushed from
 * FeatBit reaches open pages over the live channel, and the exposures go to FeatBit's insights.
 */
describe('Express example on FeatBit in Chromium', () => {
  let featbit: FeatBitTestServer;
  let texts: Record<HeadlineVariation, string>;
  let example: Awaited<ReturnType<typeof startExample>>;
  let browser: Browser;
  let version = Date.parse('2025-06-01T00:00:00.000Z');
  const consoleProblems: string[] = [];
  // Each push is newer than everything before it, as FeatBit's updatedAt is.
  const nextVersion = () => new Date((version += 60_000)).toISOString();

  beforeAll(async () => {
    featbit = await new FeatBitTestServer().start();
    featbit.setAll(featBitExampleFlags(EXAMPLE_FLAGS_FILE));
    texts = headlineTexts(EXAMPLE_FLAGS_FILE);
    const source = featBitSourceFromEnv({ FLAGWIRE_FEATBIT_URL: featbit.url, FLAGWIRE_FEATBIT_SECRET: featbit.secret });
    example = await startExample({ port: 0, featbit: source, log: () => {} });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await example?.close();
    await featbit?.stop();
  });

  const openVisitor = async (visitor: string) => (await openVisitorPage(browser, example.url, visitor, consoleProblems)).page;

  it('takes its flags from FeatBit: server HTML by company, and only client flags in the payload', async () => {
    expect(example.client.mode).toBe('featbit');
    const acme = await (await fetch(example.url, { headers: { cookie: 'company=acme.test' } })).text();
    expect(acme).toContain('<h1 id="dashboard">New dashboard</h1>');
    expect(acme).not.toContain('id="beta-banner"');
    expect(acme).not.toContain('internal-audit');
    const globex = await (await fetch(example.url, { headers: { cookie: 'company=globex.test' } })).text();
    expect(globex).toContain('<h1 id="dashboard">Classic dashboard</h1>');
    expect(globex).toContain('id="beta-banner"');
  });

  it('serves each visitor’s FeatBit-dispatched variation in the server HTML, and reports the exposures to FeatBit', async () => {
    const served = new Set<HeadlineVariation>();
    for (const visitor of VISITORS) {
      const html = await (await fetch(example.url, { headers: { cookie: `${VISITOR_COOKIE}=${visitor}` } })).text();
      expect(headlineInHtml(html), visitor).toBe(texts[expectedVariation(visitor)]);
      served.add(expectedVariation(visitor));
    }
    expect([...served].sort()).toEqual(['bold', 'control', 'question']);
    const [visitor] = VISITORS as [string];
    // One item per request: the page's reads, the headline among them.
    const headlineRead = expect.objectContaining({ featureFlagKey: 'headline', variation: { id: expectedVariation(visitor), value: texts[expectedVariation(visitor)] }, sendToExperiment: true });
    const exposure = { user: expect.objectContaining({ keyId: visitor }), variations: expect.arrayContaining([headlineRead]) };
    const deadline = Date.now() + 10_000;
    while (!featbit.insights.flat().some((item) => expect.objectContaining(exposure).asymmetricMatch(item))) {
      if (Date.now() > deadline) throw new Error(`no headline exposure for ${visitor} reached FeatBit: ${JSON.stringify(featbit.insights).slice(0, 500)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });

  it('never changes the headline through hydration and a FeatBit patch delivered over the live channel', async () => {
    const visitors = visitorsCoveringEveryVariation();
    const pages = await Promise.all(visitors.map(async (visitor) => ({ visitor, page: await openVisitor(visitor) })));
    await waitForLiveConnections(example, visitors.length);
    // Acme loses the new dashboard in FeatBit: every open page shows it; the headline must not move.
    featbit.push({ flags: [newDashboardFlag([], nextVersion())] });
    for (const { page } of pages) await page.waitForFunction(() => document.getElementById('dashboard')?.textContent === 'Classic dashboard');
    featbit.push({ flags: [newDashboardFlag(undefined, nextVersion())] });
    for (const { page } of pages) await page.waitForFunction(() => document.getElementById('dashboard')?.textContent === 'New dashboard');
    await expectHeadlinesNeverMoved(pages, texts);
    expect(consoleProblems, consoleProblems.join('\n')).toEqual([]);
  }, 30_000);

  it('records a headline that FeatBit changes: the check above can fail', async () => {
    const visitor = visitorsCoveringEveryVariation()[0] as string;
    const variation = expectedVariation(visitor);
    const page = await openVisitor(visitor);
    await waitForLiveConnections(example, 1);
    featbit.push({ flags: [headlineFlag({ ...texts, [variation]: 'A changed headline' }, nextVersion())] });
    await page.waitForFunction(() => document.getElementById('headline')?.textContent === 'A changed headline');
    expect(await headlineChanges(page)).toEqual([texts[variation], 'A changed headline']);
    await page.context().close();
    expect(consoleProblems, consoleProblems.join('\n')).toEqual([]);
  }, 30_000);
});
