import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { expectedVariation, type HeadlineVariation, VISITOR_COOKIE } from '../examples/headline-experiment';
import { collectConsoleProblems, gotoSettled, headlineChanges, recordHeadlineChanges } from './browser';

/**
 * The headline experiment's browser side, as both examples' e2e tests drive it: a page per visitor with the
 * headline recorded from first paint, and the checks that a visitor's headline never moves.
 */
export interface VisitorPage {
  page: Page;
  /** The paths the page requested, in order. */
  requests: string[];
}

/**
 * A new browser (context) for one visitor (`null`: a first visit, no cookie), recording the headline from before
 * the first byte is parsed, loaded until the network is idle; console problems go to `consoleProblems`.
 */
export async function openVisitorPage(browser: Browser, url: string, visitor: string | null, consoleProblems: string[], cookies: Record<string, string> = {}): Promise<VisitorPage> {
  const context = await browser.newContext();
  if (visitor !== null) await context.addCookies([{ name: VISITOR_COOKIE, value: visitor, url }]);
  for (const [name, value] of Object.entries(cookies)) await context.addCookies([{ name, value, url }]);
  await recordHeadlineChanges(context);
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  collectConsoleProblems(page, consoleProblems);
  await gotoSettled(page, url);
  return { page, requests };
}

/** Each visitor's page has shown only its variation's headline, once; the pages are closed after. */
export async function expectHeadlinesNeverMoved(pages: readonly { visitor: string; page: Page }[], texts: Record<HeadlineVariation, string>): Promise<void> {
  for (const { visitor, page } of pages) {
    expect(await headlineChanges(page), visitor).toEqual([texts[expectedVariation(visitor)]]);
    await page.context().close();
  }
}

/**
 * A first visit's page was assigned a visitor id and showed that visitor's variation from first paint; after a
 * reload it keeps the id and the variation.
 */
export async function expectFirstVisitKeepsItsVariation(page: Page, url: string, texts: Record<HeadlineVariation, string>): Promise<void> {
  const visitorCookie = async () => (await page.context().cookies(url)).find((cookie) => cookie.name === VISITOR_COOKIE)?.value;
  const visitor = await visitorCookie();
  expect(visitor).toMatch(/^[\w-]{8,64}$/);
  expect(await headlineChanges(page)).toEqual([texts[expectedVariation(visitor as string)]]);
  await gotoSettled(page, null);
  expect(await visitorCookie()).toBe(visitor);
  expect(await headlineChanges(page)).toEqual([texts[expectedVariation(visitor as string)]]);
}
