import { createAccessProof, encryptOverrides } from 'flags';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FlagsClient } from '../../src/server/index';
import { OTHER_SECRET, overridesClient, SECRET } from '../flags-sdk/fixtures';

/**
 * Flags Explorer's overrides cookie in Next's helpers, outside Next: `next/headers` stands in for the request
 * (the Next example's e2e runs the real thing). getFlags(), flagsFor(request) and the Pages Router all apply it.
 */
const request = vi.hoisted(() => ({ cookies: new Map<string, string>(), headers: new Headers() }));
vi.mock('next/headers', () => ({
  cookies: async () => ({ get: (name: string) => (request.cookies.has(name) ? { name, value: request.cookies.get(name) } : undefined) }),
  headers: async () => request.headers,
}));

// The modules, not the entry: the entry's `server-only` marker refuses any import outside a React server build.
const { createNextFlags } = await import('../../src/next/app-router');
const { flagsDiscoveryRoute } = await import('../../src/next/flags-discovery');
const { createPagesFlags } = await import('../../src/next/pages');

const context = ({ cookie }: { cookie(name: string): string | undefined }) => ({ company: { domain: cookie('company') ?? 'acme.test' } });

describe('Next helpers with overrides', () => {
  let client: FlagsClient;
  beforeEach(async () => {
    client = await overridesClient();
    request.cookies.clear();
    request.headers = new Headers({ host: 'app.test' });
  });
  afterEach(() => client.close());

  it('getFlags(), flagsFor(request) and the Pages Router serve the overridden values', async () => {
    const cookie = await encryptOverrides({ headline: 'What if?' }, SECRET);
    const flags = createNextFlags({ client, context, overrides: { secret: SECRET } });
    request.cookies.set('vercel-flag-overrides', cookie);
    expect((await flags.getFlags()).variationDetail('headline', '')).toMatchObject({ value: 'What if?', variation: 'question', kind: 'override' });
    const fetchRequest = new Request('http://app.test/', { headers: { cookie: `vercel-flag-overrides=${cookie}` } });
    expect((await flags.flagsFor(fetchRequest)).value('headline')).toBe('What if?');
    const pages = createPagesFlags({ client, context, overrides: { secret: SECRET } });
    const props = await pages.withFlags()({ req: { headers: { cookie: `vercel-flag-overrides=${cookie}` } } });
    expect('props' in props && (await props.props).flags.flags.headline).toEqual({ value: 'What if?', variation: 'question' });
  });

  it('ignores a forged cookie, and any cookie when no secret is configured', async () => {
    request.cookies.set('vercel-flag-overrides', await encryptOverrides({ headline: 'What if?' }, OTHER_SECRET));
    expect((await createNextFlags({ client, context, overrides: { secret: SECRET } }).getFlags()).value('headline')).toBe('Feature flags');
    request.cookies.set('vercel-flag-overrides', await encryptOverrides({ headline: 'What if?' }, SECRET));
    expect((await createNextFlags({ client, context }).getFlags()).value('headline')).toBe('Feature flags');
  });
});

describe('flagsDiscoveryRoute', () => {
  let client: FlagsClient;
  beforeEach(async () => {
    client = await overridesClient();
  });
  afterEach(() => client.close());

  it('answers only a request proving access with the secret', async () => {
    const { GET } = flagsDiscoveryRoute(client, { secret: SECRET });
    const anonymous = await GET(new Request('http://app.test/.well-known/vercel/flags'));
    expect(anonymous.status).toBe(401);
    const proven = await GET(new Request('http://app.test/.well-known/vercel/flags', { headers: { authorization: `Bearer ${await createAccessProof(SECRET)}` } }));
    expect(proven.status).toBe(200);
    expect((await proven.json()).definitions.headline.description).toBe('The home page headline experiment');
  });
});

describe('toolbarEndpoint', () => {
  let client: FlagsClient;
  beforeEach(async () => {
    client = await overridesClient();
  });
  afterEach(() => client.close());

  const post = (body: unknown, cookie = '') =>
    new Request('https://app.test/api/flagwire/overrides', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-flagwire-toolbar': '1', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });

  it('writes a Secure overrides cookie over HTTPS that getFlags() then applies', async () => {
    const flags = createNextFlags({ client, context, overrides: { secret: SECRET } });
    const switched = await flags.toolbarEndpoint.POST(post({ set: { headline: 'What if?' } }));
    expect(switched.status).toBe(204);
    const setCookie = switched.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/; Secure$/);
    request.cookies.set('vercel-flag-overrides', setCookie.slice('vercel-flag-overrides='.length, setCookie.indexOf(';')));
    expect((await flags.getFlags()).value('headline')).toBe('What if?');
    const listed = await (await flags.toolbarEndpoint.GET(new Request('https://app.test/api/flagwire/overrides', { headers: { cookie: setCookie.split(';')[0] as string } }))).json();
    expect(listed.overridden).toBe(1);
  });

  it('refuses anonymous requests in production, and says a secret is missing in development', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    try {
      const production = createNextFlags({ client, context, overrides: { secret: SECRET } });
      expect((await production.toolbarEndpoint.GET(new Request('https://app.test/api/flagwire/overrides'))).status).toBe(403);
      expect((await production.toolbarEndpoint.POST(post({ set: { headline: 'What if?' } }))).status).toBe(403);
      const staff = createNextFlags({ client, context, overrides: { secret: SECRET }, toolbar: { access: (req) => req.cookie('staff') === 'yes' } });
      expect((await staff.toolbarEndpoint.GET(new Request('https://app.test/x', { headers: { cookie: 'staff=yes' } }))).status).toBe(200);
    } finally {
      vi.unstubAllEnvs();
    }
    const noSecret = createNextFlags({ client, context });
    const answer = await noSecret.toolbarEndpoint.GET(new Request('http://app.test/api/flagwire/overrides'));
    expect(answer.status).toBe(409);
    expect((await answer.json()).error).toMatch(/FLAGS_SECRET/);
  });
});
