import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExample } from '../../examples/express/server';
import { headlineTexts } from '../examples/headline-experiment';
import { launchChromium } from '../support/browser';
import { expectToolbarSwitchesTheHeadline } from '../support/e2e-toolbar';

/** The Express example's flags toolbar in headless Chromium, against the real endpoint and cookie. */
describe('Express example: the flags toolbar in Chromium', () => {
  let dir: string;
  let example: Awaited<ReturnType<typeof startExample>>;
  let browser: Browser;
  const consoleProblems: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flagwire-e2e-toolbar-'));
    const flagsFile = join(dir, 'flagwire.flags.json');
    copyFileSync(fileURLToPath(new URL('../../examples/express/flagwire.flags.json', import.meta.url)), flagsFile);
    example = await startExample({ port: 0, flagsFile, log: () => {} });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await example?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('switches the headline for this browser: the server HTML changes, a badge shows, Reset gives it back', async () => {
    const texts = headlineTexts(fileURLToPath(new URL('../../examples/express/flagwire.flags.json', import.meta.url)));
    await expectToolbarSwitchesTheHeadline(browser, example.url, texts, consoleProblems);
    expect(consoleProblems, consoleProblems.join('\n')).toEqual([]);
  });
});
