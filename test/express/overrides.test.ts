import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createAccessProof, encryptOverrides } from 'flags';
import { afterEach, describe, expect, it } from 'vitest';
import { flagsDiscoveryEndpoint, flagsEndpoint, flagsMiddleware } from '../../src/express/index';
import { type FlagsClient, FlagwireConfigError } from '../../src/server/index';
import { OTHER_SECRET, overridesClient, SECRET } from '../flags-sdk/fixtures';

/** Flags Explorer's overrides cookie in Express: req.flags, the browser payload, and the discovery endpoint. */
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(configure: (app: express.Express, client: FlagsClient) => void): Promise<string> {
  const client = await overridesClient();
  const app = express();
  configure(app, client);
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => client.close(), () => new Promise((r) => server.close(r)), () => server.closeAllConnections());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const byCompany = (req: express.Request) => ({ company: { domain: String(req.headers['x-company'] ?? 'acme.test') } });

function withOverrides(app: express.Express, client: FlagsClient, overrides: Parameters<typeof flagsMiddleware>[1]['overrides']) {
  app.use(flagsMiddleware(client, { context: byCompany, overrides }));
  app.get('/flags', flagsEndpoint());
  app.get('/detail', (req, res) => res.json(req.flags.variationDetail('headline', '')));
}

const cookieHeader = (value: string) => ({ cookie: `session=abc; vercel-flag-overrides=${value}; theme=dark` });

describe('flagsMiddleware overrides', () => {
  it('applies an encrypted overrides cookie to req.flags and to the browser payload', async () => {
    const url = await serve((app, client) => withOverrides(app, client, { secret: SECRET }));
    const cookie = await encryptOverrides({ headline: 'What if?', 'new-dashboard': false }, SECRET);
    const payload = await (await fetch(`${url}/flags`, { headers: cookieHeader(cookie) })).json();
    expect(payload.flags.headline).toEqual({ value: 'What if?', variation: 'question' });
    expect(payload.flags['new-dashboard']).toEqual({ value: false });
    expect(await (await fetch(`${url}/detail`, { headers: cookieHeader(cookie) })).json()).toMatchObject({ value: 'What if?', kind: 'override' });
    // Without the cookie, the rules decide.
    const plain = await (await fetch(`${url}/flags`)).json();
    expect(plain.flags.headline).toEqual({ value: 'Feature flags', variation: 'control' });
    expect(plain.flags['new-dashboard']).toEqual({ value: true });
  });

  it('ignores a cookie forged with another secret, tampered with, expired or not a JWE at all', async () => {
    const url = await serve((app, client) => withOverrides(app, client, { secret: SECRET }));
    const genuine = await encryptOverrides({ headline: 'What if?' }, SECRET);
    const forged = await encryptOverrides({ headline: 'What if?' }, OTHER_SECRET);
    const tampered = `${genuine.slice(0, -4)}${genuine.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    const expired = await encryptOverrides({ headline: 'What if?' }, SECRET, Math.floor(Date.now() / 1000) - 60);
    for (const cookie of [forged, tampered, expired, 'not-a-jwe', '{"headline":"What if?"}']) {
      const detail = await (await fetch(`${url}/detail`, { headers: cookieHeader(encodeURIComponent(cookie)) })).json();
      expect(detail, cookie).toMatchObject({ value: 'Feature flags', kind: 'fallthrough' });
    }
    expect(await (await fetch(`${url}/detail`, { headers: cookieHeader(genuine) })).json()).toMatchObject({ value: 'What if?' });
  });

  it('reads no cookie without a secret, or with overrides: false', async () => {
    const cookie = await encryptOverrides({ headline: 'What if?' }, SECRET);
    const withoutSecret = await serve((app, client) => withOverrides(app, client, undefined));
    expect(await (await fetch(`${withoutSecret}/detail`, { headers: cookieHeader(cookie) })).json()).toMatchObject({ value: 'Feature flags' });
    process.env.FLAGS_SECRET = SECRET;
    try {
      const fromEnvironment = await serve((app, client) => withOverrides(app, client, undefined));
      expect(await (await fetch(`${fromEnvironment}/detail`, { headers: cookieHeader(cookie) })).json()).toMatchObject({ value: 'What if?' });
      const off = await serve((app, client) => withOverrides(app, client, false));
      expect(await (await fetch(`${off}/detail`, { headers: cookieHeader(cookie) })).json()).toMatchObject({ value: 'Feature flags' });
    } finally {
      delete process.env.FLAGS_SECRET;
    }
  });

  it('refuses a secret that is not a 256-bit key when the middleware is made', async () => {
    const client = await overridesClient();
    cleanups.push(() => client.close());
    expect(() => flagsMiddleware(client, { context: byCompany, overrides: { secret: 'hunter2' } })).toThrow(FlagwireConfigError);
    expect(() => flagsMiddleware(client, { context: byCompany, overrides: 'yes' as never })).toThrow(/expected \{ secret \} or false/);
  });
});

describe('flagsDiscoveryEndpoint', () => {
  it('answers Flags Explorer, proven by FLAGS_SECRET, with the definitions; anyone else gets 401 and nothing', async () => {
    const url = await serve((app, client) => app.get('/.well-known/vercel/flags', flagsDiscoveryEndpoint(client, { secret: SECRET })));
    const endpoint = `${url}/.well-known/vercel/flags`;
    for (const authorization of [undefined, 'Bearer nonsense', `Bearer ${await createAccessProof(OTHER_SECRET)}`]) {
      const refused = await fetch(endpoint, { headers: authorization ? { authorization } : {} });
      expect(refused.status, authorization).toBe(401);
      expect(await refused.text()).toBe('null');
    }
    const answered = await fetch(endpoint, { headers: { authorization: `Bearer ${await createAccessProof(SECRET)}` } });
    expect(answered.status).toBe(200);
    expect(answered.headers.get('cache-control')).toBe('no-store');
    const body = await answered.json();
    expect(body.overrideEncryptionMode).toBe('encrypted');
    expect(body.definitions.headline.options).toEqual([
      { label: 'control', value: 'Feature flags' },
      { label: 'bold', value: 'Ship it dark' },
      { label: 'question', value: 'What if?' },
    ]);
  });

  it('cannot be made without a secret', async () => {
    const client = await overridesClient();
    cleanups.push(() => client.close());
    expect(() => flagsDiscoveryEndpoint(client)).toThrow(/needs FLAGS_SECRET/);
  });
});
