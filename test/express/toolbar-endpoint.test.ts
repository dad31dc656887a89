import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { flagsEndpoint, flagsMiddleware, flagsToolbarEndpoint, type FlagsToolbarOptions } from '../../src/express/index';
import type { FlagsClient } from '../../src/server/index';
import { overridesClient, SECRET } from '../flags-sdk/fixtures';

/** The endpoint `<FlagToolbar />` talks to, in Express: list, switch, reset, and who may. */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(toolbar: FlagsToolbarOptions = {}): Promise<string> {
  const client: FlagsClient = await overridesClient();
  const app = express();
  app.use(flagsMiddleware(client, { context: () => ({ company: { domain: 'acme.test' } }), overrides: { secret: SECRET } }));
  app.use('/__flagwire/overrides', flagsToolbarEndpoint(client, { secret: SECRET, ...toolbar }));
  app.get('/flags', flagsEndpoint());
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => client.close(), () => new Promise((r) => server.close(r)), () => server.closeAllConnections());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A browser's cookie jar, as far as these requests need one. */
function browser(url: string) {
  let cookie = '';
  const remember = (response: Response) => {
    const set = response.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0] as string;
    return response;
  };
  return {
    cookie: () => cookie,
    get: async (path: string) => remember(await fetch(`${url}${path}`, { headers: cookie ? { cookie } : {} })),
    change: async (body: unknown, headers: Record<string, string> = { 'x-flagwire-toolbar': '1' }) =>
      remember(await fetch(`${url}/__flagwire/overrides`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers, ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) })),
  };
}

describe('flagsToolbarEndpoint', () => {
  it('lists the flags with their options, switches one for this browser only, and resets', async () => {
    const url = await serve();
    const ada = browser(url);
    const listed = await (await ada.get('/__flagwire/overrides')).json();
    expect(listed.overridden).toBe(0);
    expect(listed.flags.find((flag: { key: string }) => flag.key === 'headline')).toEqual({
      key: 'headline',
      description: 'The home page headline experiment',
      value: 'Feature flags',
      variation: 'control',
      kind: 'fallthrough',
      reason: expect.any(String),
      options: [
        { name: 'control', label: 'control', value: 'Feature flags' },
        { name: 'bold', label: 'bold', value: 'Ship it dark' },
        { name: 'question', label: 'question', value: 'What if?' },
      ],
      overridden: false,
      client: true,
    });

    const switched = await ada.change({ set: { headline: 'Ship it dark' } });
    expect(switched.status).toBe(204);
    expect(switched.headers.get('set-cookie')).toMatch(/^vercel-flag-overrides=[^;]+; Max-Age=604800; Path=\/; SameSite=Lax$/);
    expect((await (await ada.get('/flags')).json()).flags.headline).toEqual({ value: 'Ship it dark', variation: 'bold' });
    const after = await (await ada.get('/__flagwire/overrides')).json();
    expect(after.overridden).toBe(1);
    expect(after.flags.find((flag: { key: string }) => flag.key === 'headline')).toMatchObject({ value: 'Ship it dark', kind: 'override', overridden: true });
    // Another browser is untouched.
    expect((await (await browser(url).get('/flags')).json()).flags.headline.value).toBe('Feature flags');

    await ada.change({ set: { 'new-dashboard': false } });
    await ada.change({ remove: ['headline'] });
    const flags = (await (await ada.get('/flags')).json()).flags;
    expect([flags.headline.value, flags['new-dashboard'].value]).toEqual(['Feature flags', false]);

    const reset = await ada.change({ reset: true });
    expect(reset.headers.get('set-cookie')).toMatch(/^vercel-flag-overrides=; Max-Age=0/);
    expect((await (await fetch(`${url}/flags`)).json()).flags['new-dashboard'].value).toBe(true);
  });

  it('refuses a change without its header or JSON, with an unknown key, a value of another type, or too large for a cookie', async () => {
    const url = await serve();
    const ada = browser(url);
    expect((await ada.change({ set: { headline: 'x' } }, {})).status).toBe(400);
    const unknown = await ada.change({ set: { headlin: 'x' } });
    expect([unknown.status, (await unknown.json()).error]).toEqual([400, 'set: no flag has the key "headlin"']);
    expect((await ada.change({ set: 'headline' })).status).toBe(400);
    const wrongType = await ada.change({ set: { headline: 3 } });
    expect([wrongType.status, (await wrongType.json()).error]).toEqual([400, "set.headline: not of the type of the flag's values"]);
    const form = await fetch(`${url}/__flagwire/overrides`, { method: 'POST', headers: { 'content-type': 'text/plain', 'x-flagwire-toolbar': '1' }, body: '{"set":{"headline":"x"}}' });
    expect(form.status).toBe(415);
    const huge = await ada.change({ set: { headline: 'x'.repeat(3000), layout: { columns: 'y'.repeat(3000) } } });
    expect([huge.status, (await huge.json()).error]).toEqual([400, expect.stringMatching(/too large for a cookie/)]);
    expect((await ada.change({ remove: [1] })).status).toBe(400);
    expect(ada.cookie()).toBe('');
  });

  it('refuses anonymous requests in production unless the app lets them in', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    try {
      const closed = browser(await serve());
      expect((await closed.get('/__flagwire/overrides')).status).toBe(403);
      expect((await closed.change({ set: { headline: 'Ship it dark' } })).status).toBe(403);
      expect(closed.cookie()).toBe('');
      const staffOnly = await serve({ access: (req) => req.get('x-staff') === 'yes' });
      expect((await fetch(`${staffOnly}/__flagwire/overrides`)).status).toBe(403);
      expect((await fetch(`${staffOnly}/__flagwire/overrides`, { headers: { 'x-staff': 'yes' } })).status).toBe(200);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
