import { createAccessProof, encryptOverrides } from 'flags';
import type { Browser } from 'playwright-core';
import { expect } from 'vitest';
import { type HeadlineVariation, headlineInHtml, VISITOR_COOKIE, visitorsCoveringEveryVariation } from '../examples/headline-experiment';
import { headlineChanges } from './browser';
import { openVisitorPage } from './e2e-headline';

/**
 * The toolbar in an example, as a person uses it: a visitor served `control` switches the headline to `bold`
 * from the toolbar; the page reloads and its server HTML shows `bold` from the first paint (no flicker), a badge
 * says an override is active, another browser still gets `control`, and Reset gives the headline back.
 * @param accessCookies what lets this browser use the toolbar, where the app asks for more than development mode.
 */
export async function expectToolbarSwitchesTheHeadline(
  browser: Browser,
  url: string,
  texts: Record<HeadlineVariation, string>,
  consoleProblems: string[],
  accessCookies: Record<string, string> = {},
): Promise<void> {
  const [visitor] = visitorsCoveringEveryVariation();
  const { page } = await openVisitorPage(browser, url, visitor as string, consoleProblems, accessCookies);
  expect(await page.textContent('#headline')).toBe(texts.control);

  await page.getByRole('button', { name: 'Flags', exact: true }).click();
  // Options: "as the rules decide", then the variations in the file's order (bold is the second).
  await Promise.all([page.waitForEvent('load'), page.selectOption('select[aria-label="headline"]', '1')]);
  await page.getByRole('button', { name: 'Flags · 1 overridden' }).waitFor();
  expect(await page.textContent('#headline')).toBe(texts.bold);
  // The reloaded page showed bold from its first paint: the server rendered it.
  expect(await headlineChanges(page)).toEqual([texts.bold]);
  const cookies = await page.context().cookies(url);
  const cookieHeader = cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
  expect(cookies.map((cookie) => cookie.name)).toContain('vercel-flag-overrides');
  expect(headlineInHtml(await (await fetch(url, { headers: { cookie: cookieHeader } })).text())).toBe(texts.bold);

  const other = await openVisitorPage(browser, url, visitor as string, consoleProblems, accessCookies);
  expect(await other.page.textContent('#headline')).toBe(texts.control);
  await other.page.context().close();

  await page.getByRole('button', { name: 'Flags · 1 overridden' }).click();
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Reset all overrides' }).click()]);
  await page.getByRole('button', { name: 'Flags', exact: true }).waitFor();
  expect(await page.textContent('#headline')).toBe(texts.control);
  expect((await page.context().cookies(url)).map((cookie) => cookie.name)).not.toContain('vercel-flag-overrides');
  await page.context().close();
}

/**
 * Vercel's Flags Explorer against an example: its discovery route answers only a proof made with the app's
 * FLAGS_SECRET, and the overrides cookie it writes (encrypted with the same secret, by the `flags` package)
 * reaches the page from its first paint in Chromium: no flicker.
 */
export async function expectFlagsExplorerOverridesFromFirstPaint(
  browser: Browser,
  url: string,
  texts: Record<HeadlineVariation, string>,
  secret: string,
  consoleProblems: string[],
): Promise<void> {
  expect((await fetch(`${url}/.well-known/vercel/flags`)).status).toBe(401);
  const proven = await fetch(`${url}/.well-known/vercel/flags`, { headers: { authorization: `Bearer ${await createAccessProof(secret)}` } });
  expect(proven.status).toBe(200);
  const { definitions } = (await proven.json()) as { definitions: Record<string, { options: { label: string }[] }> };
  expect(definitions.headline?.options.map((option) => option.label)).toEqual(['control', 'bold', 'question']);

  const [visitor] = visitorsCoveringEveryVariation();
  const overrides = await encryptOverrides({ headline: texts.question }, secret);
  const { page } = await openVisitorPage(browser, url, visitor as string, consoleProblems, { 'vercel-flag-overrides': overrides });
  expect(await page.textContent('#headline')).toBe(texts.question);
  expect(await headlineChanges(page)).toEqual([texts.question]);
  await page.context().close();
  // The same visitor without the cookie: the rules decide.
  const plain = await fetch(url, { headers: { cookie: `${VISITOR_COOKIE}=${visitor}` } });
  expect(headlineInHtml(await plain.text())).toBe(texts.control);
}
