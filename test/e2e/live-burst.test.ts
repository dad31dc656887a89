import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExample } from '../../examples/express/server';
import { launchChromium } from '../support/browser';

/**
 * A burst of changes — 200 `track()`s for one company — with three of its pages open in Chromium: the live
 * channel coalesces the notices and each page's refetches never overlap, so the pages ask the flags endpoint
 * a handful of times, not once per change (before: 600 requests).
 */
describe('Express example in Chromium: a burst of changes', () => {
  let dir: string;
  let example: Awaited<ReturnType<typeof startExample>>;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flagwire-e2e-burst-'));
    const flagsFile = join(dir, 'flagwire.flags.json');
    copyFileSync(fileURLToPath(new URL('../../examples/express/flagwire.flags.json', import.meta.url)), flagsFile);
    example = await startExample({ port: 0, flagsFile, log: () => {} });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await example?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes at most two refetches per open page for 200 tracked events', async () => {
    const refetches: string[] = [];
    const context = await browser.newContext();
    await context.addCookies([{ name: 'company', value: 'acme.test', url: example.url }]);
    const pages = await Promise.all([0, 1, 2].map(() => context.newPage()));
    for (const [i, page] of pages.entries()) {
      page.on('request', (request) => {
        if (new URL(request.url()).pathname === '/api/flags') refetches.push(`page ${i}`);
      });
      await page.goto(example.url, { waitUntil: 'networkidle' });
    }
    const deadline = Date.now() + 10_000;
    while (example.liveConnections < 3) {
      if (Date.now() > deadline) throw new Error(`${example.liveConnections} of 3 pages opened the live channel`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(refetches).toEqual([]);

    for (let i = 0; i < 200; i++) void example.client.track({ event: 'page-views', company: { domain: 'acme.test' } });

    // Every page hears of it and refetches...
    const heard = Date.now() + 10_000;
    while (new Set(refetches).size < 3) {
      if (Date.now() > heard) throw new Error(`refetches: ${JSON.stringify(refetches)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // ...and, once nothing more has come for a second, none of them refetched more than twice.
    let seen = -1;
    while (seen !== refetches.length) {
      seen = refetches.length;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    for (const page of ['page 0', 'page 1', 'page 2']) expect(refetches.filter((r) => r === page).length).toBeLessThanOrEqual(2);
    await context.close();
  });
});
