import { type BrowserContext, chromium, type Page, type Request } from 'playwright-core';
import { chromiumPath } from './prerequisites';

/** The system's Chromium (`CHROMIUM_PATH`, else Debian's), headless: never a downloaded browser. */
export function launchChromium() {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Adds the page's console errors and warnings, and its uncaught errors, to `problems`: a clean page adds none. */
export function collectConsoleProblems(page: Page, problems: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
}

declare global {
  interface Window {
    /** What the page's `#headline` showed, in order: set by `recordHeadlineChanges`. */
    __flagwireHeadline?: string[];
  }
}

/**
 * Runs in the page before any of its HTML is parsed (`addInitScript`): records the `#headline` element's text
 * once it is parsed and again at every change after, a removal or a replacement by another element included.
 * A page that renders the headline once and never touches it records exactly one entry.
 */
function headlineRecorder(): void {
  const seen: string[] = [];
  window.__flagwireHeadline = seen;
  let element: HTMLElement | null = null;
  let text: string | null = null;
  // Parsed: the parser has passed its end tag (a node follows it or an ancestor) or finished the document.
  // Before that its text is the parser's work in progress (a streamed response can pause between the start
  // tag and the text): not a change.
  const parsed = (node: Node) => {
    if (document.readyState !== 'loading') return true;
    for (let at: Node | null = node; at !== null; at = at.parentNode) if (at.nextSibling !== null) return true;
    return false;
  };
  const look = () => {
    const current = document.getElementById('headline');
    if (element === null && current !== null && !parsed(current)) return;
    if (current === element && (current === null || current.textContent === text)) return;
    if (current === null) seen.push('(removed)');
    else seen.push(element === null ? (current.textContent ?? '') : `${current === element ? '' : '(replaced) '}${current.textContent ?? ''}`);
    element = current;
    text = current?.textContent ?? null;
  };
  new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true });
  document.addEventListener('readystatechange', look);
}

/** Records, from the moment it is parsed, every text the `#headline` element of the context's pages shows. */
export async function recordHeadlineChanges(context: BrowserContext): Promise<void> {
  await context.addInitScript(headlineRecorder);
}

/** What `#headline` has shown in this page so far (see `recordHeadlineChanges`). */
export async function headlineChanges(page: Page): Promise<string[]> {
  return page.evaluate(() => [...(window.__flagwireHeadline ?? [])]);
}

/** Requests that stay open for as long as the page does: the live channels' event streams. */
const LONG_LIVED = /\/api\/flagwire\/live(?:[?#]|$)/;
const QUIET_MS = 500;

/**
 * `goto` (or `reload`) until the network is idle, as Playwright's `networkidle` waits (no request in flight for
 * 500 ms), except that a page's live event stream does not count: it is open for as long as the page is, so
 * `networkidle` itself would never come.
 */
export async function gotoSettled(page: Page, url: string | null, timeoutMs = 30_000): Promise<void> {
  const inFlight = new Set<Request>();
  const started = (request: Request) => {
    if (!LONG_LIVED.test(request.url())) inFlight.add(request);
  };
  const ended = (request: Request) => inFlight.delete(request);
  page.on('request', started);
  page.on('requestfinished', ended);
  page.on('requestfailed', ended);
  try {
    await (url === null ? page.reload({ waitUntil: 'load' }) : page.goto(url, { waitUntil: 'load' }));
    const deadline = Date.now() + timeoutMs;
    let quietSince = Date.now();
    while (Date.now() - quietSince < QUIET_MS) {
      if (Date.now() > deadline) throw new Error(`${url ?? 'the page'} kept ${inFlight.size} request(s) in flight for ${timeoutMs} ms`);
      if (inFlight.size > 0) quietSince = Date.now();
      await page.waitForTimeout(25);
    }
  } finally {
    page.off('request', started);
    page.off('requestfinished', ended);
    page.off('requestfailed', ended);
  }
}
