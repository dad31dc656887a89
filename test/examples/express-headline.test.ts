import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExample } from '../../examples/express/server';
import { assignedVisitor, expectedVariation, headlineInHtml, headlineTexts, VISITOR_COOKIE, VISITORS } from './headline-experiment';

/**
 * The Express example's headline experiment over HTTP: the server HTML already shows the variation FeatBit's
 * dispatch gives the visitor id, and a first visit is assigned an id that the same response is rendered for.
 */
const FLAGS_FILE = fileURLToPath(new URL('../../examples/express/flagwire.flags.json', import.meta.url));

describe('the Express example’s headline experiment', () => {
  let example: Awaited<ReturnType<typeof startExample>>;
  const texts = headlineTexts(FLAGS_FILE);

  beforeAll(async () => {
    example = await startExample({ port: 0, flagsFile: FLAGS_FILE, log: () => {} });
  });
  afterAll(() => example?.close());

  const home = (cookie?: string) => fetch(example.url, cookie ? { headers: { cookie } } : {});

  it('renders each visitor’s variation on the server, and serves all three across visitors', async () => {
    const served = new Set<string>();
    for (const visitor of VISITORS) {
      const response = await home(`${VISITOR_COOKIE}=${visitor}; company=globex.test`);
      const variation = expectedVariation(visitor);
      expect(headlineInHtml(await response.text()), visitor).toBe(texts[variation]);
      // A visitor who has an id keeps it.
      expect(assignedVisitor(response)).toBeUndefined();
      served.add(variation);
    }
    expect([...served].sort()).toEqual(['bold', 'control', 'question']);
  });

  it('assigns a first visit an id in a lasting cookie, and renders that very response for it', async () => {
    const first = await home();
    const visitor = assignedVisitor(first);
    expect(visitor).toMatch(/^[\w-]{8,}$/);
    const cookie = first.headers.getSetCookie().find((c) => c.startsWith(`${VISITOR_COOKIE}=`)) ?? '';
    expect(cookie).toMatch(/Path=\//i);
    expect(cookie).toMatch(/Max-Age=\d{7,}/i);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const html = await first.text();
    expect(headlineInHtml(html)).toBe(texts[expectedVariation(visitor as string)]);
    // The browser payload is the same evaluation: the headline hydrates with the variation the HTML shows.
    const payload = JSON.parse(/window\.__FLAGWIRE__=(.*?)<\/script>/.exec(html)?.[1] ?? 'null');
    expect(payload.flags.flags.headline).toEqual({ value: texts[expectedVariation(visitor as string)], variation: expectedVariation(visitor as string) });
    const again = await home(`${VISITOR_COOKIE}=${visitor}`);
    expect(assignedVisitor(again)).toBeUndefined();
    expect(headlineInHtml(await again.text())).toBe(texts[expectedVariation(visitor as string)]);
    // Two first visits are two visitors.
    expect(assignedVisitor(await home())).not.toBe(visitor);
  });

  it('replaces a visitor cookie that is not an id it could have assigned', async () => {
    const response = await home(`${VISITOR_COOKIE}=${'x'.repeat(200)}`);
    const visitor = assignedVisitor(response);
    expect(visitor).toMatch(/^[\w-]{8,64}$/);
    expect(headlineInHtml(await response.text())).toBe(texts[expectedVariation(visitor as string)]);
  });
});
