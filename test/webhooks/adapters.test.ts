import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureRawBody, flagsWebhook } from '../../src/express/index';
import { createPagesWebhookHandler } from '../../src/next/pages';
import { createWebhookRoute } from '../../src/next/webhook';
import { createFetchWebhookHandler, createFlagsClient, type WebhookEvent } from '../../src/server/index';
import { recordingLogger } from '../support/flags-files';
import { delivery, SECRET } from '../support/webhooks';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((r) => server.close(r));
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function post(url: string, d: { raw: string; headers: Record<string, string> }) {
  return fetch(url, { method: 'POST', body: d.raw, headers: d.headers });
}

const valid = () => delivery('company.updated', { id: 'comp_1', keys: { domain: 'acme.test' } });
const forged = () => ({ ...valid(), headers: { ...valid().headers, 'X-Schematic-Webhook-Signature': 'f'.repeat(64) } });

describe('Express webhook endpoint', () => {
  async function app(setup: (app: express.Express, events: WebhookEvent[]) => void) {
    const events: WebhookEvent[] = [];
    const instance = express();
    setup(instance, events);
    return { url: await listen(createServer(instance)), events };
  }

  it('reads the raw body itself when no parser ran: accepts valid deliveries, refuses forged ones', async () => {
    const { url, events } = await app((a, events) => a.post('/hook', flagsWebhook({ secret: SECRET, on: { 'company.updated': (e) => void events.push(e) } })));
    const ok = await post(`${url}/hook`, valid());
    expect([ok.status, await ok.json()]).toEqual([200, { ok: true }]);
    expect(events.map((e) => [e.action, (e.body as { id: string }).id])).toEqual([['company.updated', 'comp_1']]);
    const bad = await post(`${url}/hook`, forged());
    expect([bad.status, await bad.json()]).toEqual([400, { error: 'Invalid webhook signature', code: 'mismatch' }]);
    expect(events).toHaveLength(1);
  });

  it('works after express.json({ verify: captureRawBody }) and after express.raw()', async () => {
    const { url, events } = await app((a, events) => {
      a.use('/json', express.json({ verify: captureRawBody }));
      a.post('/json', flagsWebhook({ secret: SECRET, on: { '*': (e) => void events.push(e) } }));
      a.post('/raw', express.raw({ type: '*/*' }), flagsWebhook({ secret: SECRET, on: { '*': (e) => void events.push(e) } }));
    });
    expect((await post(`${url}/json`, valid())).status).toBe(200);
    expect((await post(`${url}/raw`, valid())).status).toBe(200);
    expect(events).toHaveLength(2);
  });

  it('says what to do when express.json() consumed the raw body', async () => {
    const log = recordingLogger();
    const { url, events } = await app((a, events) => {
      a.use(express.json());
      a.post('/hook', flagsWebhook({ secret: SECRET, logger: log.logger, on: { '*': (e) => void events.push(e) } }));
    });
    const response = await post(`${url}/hook`, valid());
    expect(response.status).toBe(500);
    expect((await response.json()).error).toContain('express.json({ verify: captureRawBody })');
    expect(events).toHaveLength(0);
  });

  it('answers 500 when a callback throws, so Schematic retries', async () => {
    const { url } = await app((a) => a.post('/hook', flagsWebhook({ secret: SECRET, logger: recordingLogger().logger, on: { '*': () => { throw new Error('db down'); } } })));
    expect((await post(`${url}/hook`, valid())).status).toBe(500);
  });
});

describe('Next webhook routes', () => {
  it('App Router: verifies, revalidates flagwire’s cache tag, runs callbacks; refuses forgeries untouched', async () => {
    const revalidateTag = vi.fn();
    const onEvent = vi.fn();
    const { POST } = createWebhookRoute({ secret: SECRET, revalidateTag, on: { '*': onEvent } });
    const d = valid();
    const ok = await POST(new Request('http://app/api/webhooks/schematic', { method: 'POST', body: d.raw, headers: d.headers }));
    expect(ok.status).toBe(200);
    expect(revalidateTag).toHaveBeenCalledWith('flagwire');
    expect(onEvent).toHaveBeenCalledTimes(1);
    const f = forged();
    const bad = await POST(new Request('http://app/api/webhooks/schematic', { method: 'POST', body: f.raw, headers: f.headers }));
    expect(bad.status).toBe(400);
    expect(revalidateTag).toHaveBeenCalledTimes(1);
    expect(onEvent).toHaveBeenCalledTimes(1);
  });

  it('Pages Router: reads the raw body (bodyParser off), and explains when a parser ran', async () => {
    const onEvent = vi.fn();
    const regenerated: string[] = [];
    const handler = createPagesWebhookHandler({ secret: SECRET, revalidatePaths: ['/pricing'], on: { '*': onEvent } });
    const url = await listen(
      createServer((req, res) => {
        const nextRes = {
          status: (code: number) => ({ json: (body: unknown) => res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body)) }),
          revalidate: async (path: string) => void regenerated.push(path),
        };
        if (req.url === '/parsed') Object.assign(req, { body: {} });
        void handler(req as never, nextRes);
      }),
    );
    expect((await post(`${url}/hook`, valid())).status).toBe(200);
    expect((await post(`${url}/hook`, forged())).status).toBe(400);
    const parsed = await post(`${url}/parsed`, valid());
    expect(parsed.status).toBe(500);
    expect((await parsed.json()).error).toContain('bodyParser: false');
    expect(onEvent).toHaveBeenCalledTimes(1);
    // Only the verified delivery regenerated the page.
    expect(regenerated).toEqual(['/pricing']);
  });

  it('Pages Router: a page that fails to regenerate is not acknowledged, so the delivery is retried', async () => {
    const handler = createPagesWebhookHandler({ secret: SECRET, logger: recordingLogger().logger, revalidatePaths: ['/pricing'] });
    const url = await listen(
      createServer((req, res) => {
        const nextRes = {
          status: (code: number) => ({ json: (body: unknown) => res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body)) }),
          revalidate: async () => {
            throw new Error('render failed');
          },
        };
        void handler(req as never, nextRes);
      }),
    );
    const response = await post(`${url}/hook`, valid());
    expect(response.status).toBe(500);
    expect((await response.json()).error).toContain('render failed');
  });
});

describe('Fetch webhook handler and default actions', () => {
  it('invalidates the client and emits change for the company a delivery names', async () => {
    const client = createFlagsClient({ flags: {}, logger: recordingLogger().logger });
    const changes: unknown[] = [];
    client.subscribe((change) => changes.push(change));
    const handler = createFetchWebhookHandler({ secret: SECRET, client });
    const d = valid();
    const response = await handler(new Request('http://x/', { method: 'POST', body: d.raw, headers: d.headers }));
    expect(response.status).toBe(200);
    expect(changes).toEqual([{ type: 'company', id: 'comp_1', keys: { domain: 'acme.test' } }]);
    const flagChange = delivery('flag.updated', { id: 'flag_1', key: 'new-editor' });
    await handler(new Request('http://x/', { method: 'POST', body: flagChange.raw, headers: flagChange.headers }));
    expect(changes[1]).toEqual({ type: 'flags', keys: ['new-editor'] });
    await client.close();
  });

  it('refuses an oversize body from its declared length, without reading it', async () => {
    const handler = createFetchWebhookHandler({ secret: SECRET, maxBodyBytes: 100 });
    const d = valid();
    const response = await handler(new Request('http://x/', { method: 'POST', body: d.raw + ' '.repeat(200), headers: d.headers }));
    expect([response.status, (await response.json()).code]).toEqual([400, 'too_large']);
  });
});
