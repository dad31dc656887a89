import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExample } from '../../examples/express/server';
import type { Exposure } from '../../src/server/index';
import { editFlagsFile } from '../examples/headline-experiment';
import { launchChromium } from '../support/browser';

/**
 * Exposures in the Express example, in real headless Chromium: the page reports the flags its components showed,
 * once per page view, whatever hydration, revalidation and re-renders do; a reload is a new page
 * view. The example server counts them through `createFlagsClient({ onExposures })`.
 */
describe('Express example: exposures in Chromium', () => {
  let dir: string;
  let flagsFile: string;
  let example: Awaited<ReturnType<typeof startExample>>;
  let browser: Browser;
  let page: Page;
  const exposures: Exposure[] = [];
  const reports: string[] = [];

  /** Waits until the server has counted `count` exposures in all. */
  async function counted(count: number): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (exposures.length < count) {
      if (Date.now() > deadline) throw new Error(`${exposures.length} of ${count} exposures were counted: ${JSON.stringify(exposures)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flagwire-e2e-exposures-'));
    flagsFile = join(dir, 'flagwire.flags.json');
    copyFileSync(fileURLToPath(new URL('../../examples/express/flagwire.flags.json', import.meta.url)), flagsFile);
    example = await startExample({ port: 0, flagsFile, log: () => {}, onExposures: (batch) => void exposures.push(...batch) });
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/flagwire/exposures') reports.push(request.postData() ?? '');
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await example?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts each flag the page shows once, under the page view the server named, for the visitor the cookie names', async () => {
    await page.goto(example.url, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelector('#export') !== null);
    // The flags the example's components read: the headline, the dashboard, bulk export (twice: useFlag and
    // useEntitlement) and the beta banner.
    await counted(4);
    const pageView = await page.evaluate(() => window.__FLAGWIRE__.flags.pv);
    expect(pageView).toMatch(/^[\w-]{8,64}$/);
    expect(new Set(exposures.map((exposure) => exposure.flag))).toEqual(new Set(['headline', 'new-dashboard', 'bulk-export', 'beta-banner']));
    expect(exposures.every((exposure) => exposure.pageView === pageView && exposure.source === 'browser')).toBe(true);
    const visitor = (await page.context().cookies()).find((cookie) => cookie.name === 'visitor')?.value;
    expect(exposures[0]?.user).toEqual({ key: visitor, email: 'ada@acme.test' });
    // The headline's exposure is the variation the page shows.
    const headline = exposures.find((exposure) => exposure.flag === 'headline');
    expect(await page.textContent('#headline')).toBe(headline?.value);
  });

  it('counts nothing more when the values are revalidated and re-rendered', async () => {
    const before = exposures.length;
    const reportsBefore = reports.length;
    // A flags file edit that changes none of the page's values: the live channel makes the page revalidate, and
    // the same values re-render every hook.
    const revalidated = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/flags');
    editFlagsFile(flagsFile, (file) => {
      (file.flags as Record<string, unknown>)['not-on-the-page'] = { rules: [] };
    });
    await revalidated;
    // Effects of the re-render, then the reporter's batch (a zero timeout), have run once this resolves.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 50)))));
    expect(reports.length, reports.join("\n")).toBe(reportsBefore);
    expect(exposures.length).toBe(before);
  });

  it('counts a reload as a new page view', async () => {
    const before = exposures.length;
    await page.reload({ waitUntil: 'load' });
    await counted(before + 4);
    const pageViews = new Set(exposures.map((exposure) => exposure.pageView));
    expect(pageViews.size).toBe(2);
    expect(exposures.length, JSON.stringify(exposures.map(({ flag, value, pageView }) => [flag, value, pageView]))).toBe(before + 4);
  });
});
