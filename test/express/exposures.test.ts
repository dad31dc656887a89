import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { flagsExposuresEndpoint, flagsMiddleware } from '../../src/express/index';
import { createFlagsClient, type Exposure } from '../../src/server/index';
import { recordingLogger } from '../support/flags-files';

const FLAGS = {
  headline: { client: true, variations: ['control', 'bold', 'question'], default: 'control', rules: [{ when: 'user.country = DE', value: 'bold' }] },
  'new-editor': { client: true, rules: [{ when: 'user.role = admin' }] },
};

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const context = (req: express.Request) => ({ user: { id: String(req.headers['x-user'] ?? 'ada') }, attributes: { user: { role: 'admin', country: String(req.headers['x-country'] ?? 'DE') } } });

async function app() {
  const received: Exposure[] = [];
  let delivered: () => void = () => {};
  const client = createFlagsClient({
    flags: FLAGS,
    logger: recordingLogger().logger,
    onExposures: (exposures) => {
      received.push(...exposures);
      delivered();
    },
  });
  await client.ready();
  const server = express();
  server.use(flagsMiddleware(client, { context }));
  server.get('/page', (req, res) => {
    // The same flags read again and again, as a template would: one exposure each.
    const headline = req.flags.variation('headline', 'control');
    for (let i = 0; i < 5; i++) req.flags.isEnabled('new-editor');
    res.json({ headline, payload: req.flags.toJSON() });
  });
  server.get('/json-only', (req, res) => res.json(req.flags.toJSON()));
  server.post('/exposures', flagsExposuresEndpoint(client, { context }));
  const http: Server = createServer(server);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  cleanups.push(() => client.close(), () => new Promise((r) => http.close(r)), () => http.closeAllConnections());
  /** Resolves once onExposures has been called `count` more times in all. */
  const deliveries = (count: number) =>
    new Promise<void>((resolve) => {
      let left = count;
      delivered = () => {
        if (--left === 0) resolve();
      };
    });
  return { url, received, deliveries };
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/exposures`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('exposures in Express', () => {
  it('counts each flag a request read once, after the response, and none for a request that only sent values', async () => {
    const { url, received, deliveries } = await app();
    const delivered = deliveries(1);
    const page = (await (await fetch(`${url}/page`)).json()) as { headline: string; payload: { pv: string } };
    await delivered;
    expect(page.headline).toBe('bold');
    expect(received.map(({ flag, variation, source, pageView }) => [flag, variation, source, pageView])).toEqual([
      ['headline', 'bold', 'server', page.payload.pv],
      ['new-editor', null, 'server', page.payload.pv],
    ]);
    await (await fetch(`${url}/json-only`)).json();
    // A second request is a second page view: its reads count again.
    const again = deliveries(1);
    await (await fetch(`${url}/page`)).json();
    await again;
    expect(received).toHaveLength(4);
    expect(new Set(received.map((exposure) => exposure.pageView)).size).toBe(2);
  });

  it('counts what the browser showed once per page view, with what the server counted of it', async () => {
    const { url, received, deliveries } = await app();
    const served = deliveries(1);
    const page = (await (await fetch(`${url}/page`)).json()) as { payload: { pv: string } };
    await served;
    const report = { pageView: page.payload.pv, exposures: [{ flag: 'headline', value: 'bold', variation: 'bold' }, { flag: 'new-editor', value: true }] };
    const reply = await post(url, report);
    expect(reply.status).toBe(204);
    expect((await post(url, report)).status).toBe(204);
    // Both flags were counted by the server for this page view: nothing new.
    expect(received).toHaveLength(2);
    const staticPage = deliveries(1);
    expect((await post(url, { pageView: 'static-page-view-1', exposures: [{ flag: 'headline', value: 'question' }] }, { 'x-user': 'bob' })).status).toBe(204);
    await staticPage;
    expect(received[2]).toMatchObject({ flag: 'headline', variation: 'question', source: 'browser', user: { id: 'bob' }, pageView: 'static-page-view-1' });
  });

  it('refuses cross-site reports, bodies that are not JSON and reports the client refuses', async () => {
    const { url, received } = await app();
    const good = { pageView: 'page-view-0001', exposures: [{ flag: 'new-editor', value: true }] };
    expect((await post(url, good, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await fetch(`${url}/exposures`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(good) })).status).toBe(415);
    expect((await post(url, '{not json')).status).toBe(400);
    const refused = await post(url, { pageView: 'page-view-0001', exposures: [{ flag: 'headline', value: 'shout', variation: 'shout' }] });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { problem: string }).problem).toContain('no such variation');
    expect((await post(url, 'x'.repeat(20_000))).status).toBe(400);
    expect(received).toEqual([]);
  });
});
