import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { attachLiveChannel, currentFlags, flagsEndpoint, flagsMiddleware } from '../../src/express/index';
import { createFlagsClient, type FlagsClient } from '../../src/server/index';
import { recordingLogger, SAMPLE_FLAGS, tempFlagsFile } from '../support/flags-files';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(configure: (app: express.Express, client: FlagsClient) => void) {
  const files = tempFlagsFile(SAMPLE_FLAGS);
  const client = createFlagsClient({ flagsFile: files.file, logger: recordingLogger().logger });
  await client.ready();
  const app = express();
  configure(app, client);
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cleanups.push(files.cleanup, () => client.close(), () => new Promise((r) => server.close(r)), () => server.closeAllConnections());
  return { url, client, server, files };
}

const byCompany = (req: express.Request) => ({ company: { domain: String(req.headers['x-company'] ?? 'acme.test') } });

describe('flagsMiddleware', () => {
  it('attaches req.flags: one snapshot per request, read synchronously by every route', async () => {
    const { url, client } = await setup((app, client) => {
      app.use(flagsMiddleware(client, { context: byCompany }));
      app.get('/', (req, res) => res.json({ reports: req.flags.isEnabled('advanced-reports'), same: res.locals.flags === req.flags }));
    });
    const snapshotNow = vi.spyOn(client, 'snapshotNow');
    expect(await (await fetch(url)).json()).toEqual({ reports: true, same: true });
    expect(await (await fetch(url, { headers: { 'x-company': 'globex.test' } })).json()).toEqual({ reports: false, same: true });
    expect(snapshotNow).toHaveBeenCalledTimes(2);
  });

  it('reads req.flags in mounted sub-apps and routers, adds no property to the request, and lets code assign its own', async () => {
    const { url } = await setup((app, client) => {
      app.use(flagsMiddleware(client, { context: byCompany }));
      const sub = express();
      sub.get('/', (req, res) => res.json({ reports: req.flags.isEnabled('advanced-reports'), own: Object.hasOwn(req, 'flags') }));
      app.use('/sub', sub);
      const router = express.Router();
      router.get('/', (req, res) => res.json({ reports: req.flags.isEnabled('advanced-reports') }));
      app.use('/router', router);
      app.get('/assign', (req, res) => {
        const mine = req.flags;
        req.flags = { isEnabled: () => true } as never;
        res.json({ replaced: req.flags.isEnabled('anything' as never), stillInLocals: res.locals.flags === mine });
      });
    });
    expect(await (await fetch(`${url}/sub`)).json()).toEqual({ reports: true, own: false });
    expect(await (await fetch(`${url}/router`, { headers: { 'x-company': 'globex.test' } })).json()).toEqual({ reports: false });
    expect(await (await fetch(`${url}/assign`)).json()).toEqual({ replaced: true, stillInLocals: true });
  });

  it('sets req.flags as a property on a request that is not Express’s', async () => {
    const { client } = await setup(() => {});
    const req = {} as express.Request;
    const res = { locals: {} } as express.Response;
    flagsMiddleware(client, { context: () => ({ company: { domain: 'acme.test' } }) })(req, res, () => {});
    expect(req.flags.isEnabled('advanced-reports')).toBe(true);
    expect(res.locals.flags).toBe(req.flags);
  });

  it('never fails a request: a context that throws or rejects gives defaults, and is logged', async () => {
    const { lines, logger } = recordingLogger();
    const { url } = await setup((app, client) => {
      app.get('/throws', flagsMiddleware(client, { logger, context: () => { throw new Error('no session'); } }), (req, res) => res.json(req.flags.isEnabled('advanced-reports')));
      app.get('/rejects', flagsMiddleware(client, { logger, context: async () => { throw new Error('no session'); } }), (req, res) => res.json(req.flags.isEnabled('advanced-reports')));
    });
    expect(await (await fetch(`${url}/throws`)).json()).toBe(false);
    expect(await (await fetch(`${url}/rejects`)).json()).toBe(false);
    expect(lines).toEqual([
      { level: 'error', message: expect.stringContaining('no session') },
      { level: 'error', message: expect.stringContaining('no session') },
    ]);
  });

  it('takes async contexts, and with asyncContext: true exposes currentFlags() deep in the stack', async () => {
    const deep = () => currentFlags().isEnabled('internal-tools');
    const { url } = await setup((app, client) => {
      app.use(flagsMiddleware(client, { context: async (req) => byCompany(req), asyncContext: true }));
      app.get('/', async (_req, res) => {
        await new Promise((r) => setTimeout(r, 5));
        res.json(deep());
      });
    });
    expect(await (await fetch(url)).json()).toBe(true);
    expect(() => currentFlags()).toThrow('flagsMiddleware(client, { context, asyncContext: true })');
  });

  it('serves the browser payload from flagsEndpoint, uncached', async () => {
    const { url } = await setup((app, client) => {
      app.use(flagsMiddleware(client, { context: byCompany }));
      app.get('/api/flags', flagsEndpoint());
    });
    const response = await fetch(`${url}/api/flags`);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(await response.json()).toEqual({ v: 2, flags: { 'advanced-reports': expect.objectContaining({ value: true }), 'new-editor': { value: false } } });
  });
});

describe('live channel', () => {
  async function connect(url: string, company: string): Promise<{ socket: WebSocket; messages: string[] }> {
    const messages: string[] = [];
    const socket = new WebSocket(url.replace('http', 'ws') + '/flagwire/live', { headers: { 'x-company': company } });
    socket.on('message', (data) => messages.push(data.toString()));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    cleanups.push(() => socket.terminate());
    return { socket, messages };
  }

  it('tells every page about flag changes, and a company’s pages only about that company — never values', async () => {
    const { url, client, server } = await setup(() => {});
    const live = attachLiveChannel(server, client, { context: (req) => ({ company: { domain: String(req.headers['x-company']) } }) });
    cleanups.push(() => live.close());
    const acme = await connect(url, 'acme.test');
    const globex = await connect(url, 'globex.test');
    await client.track({ event: 'exports', company: { domain: 'acme.test' } });
    await client.invalidate({ type: 'flags', keys: ['new-editor'] });
    await new Promise((r) => setTimeout(r, 100));
    expect(acme.messages).toEqual(['{"type":"company"}', '{"type":"flags"}']);
    expect(globex.messages).toEqual(['{"type":"flags"}']);
  });

  it('refuses connections past the cap', async () => {
    const { url, client, server } = await setup(() => {});
    const live = attachLiveChannel(server, client, { maxConnections: 1 });
    cleanups.push(() => live.close());
    await connect(url, 'acme.test');
    await expect(connect(url, 'globex.test')).rejects.toThrow(/503/);
    expect(live.connections).toBe(1);
  });
});
