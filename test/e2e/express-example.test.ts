import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExample } from '../../examples/express/server';
import { launchChromium } from '../support/browser';
import { measureLiveLatency, percentile } from '../support/live-latency';

/**
 * The Express example in real headless Chromium: server HTML carries the flag-dependent content, the page
 * hydrates without a request to the flags endpoint or a hydration warning, a flags-file edit reaches the
 * DOM over the live channel, and the gated API follows `req.flags`.
 */
const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url));

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
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') consoleProblems.push(message.text());
    });
    page.on('pageerror', (error) => consoleProblems.push(error.message));
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
