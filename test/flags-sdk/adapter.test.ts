import { encryptOverrides } from 'flags';
import { deserialize, evaluate, flag, getProviderData as flagsProviderData, serialize } from 'flags/next';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFlagwireAdapter, getProviderData } from '../../src/flags-sdk/index';
import { createFlagsClient, type FlagsClient } from '../../src/server/index';
import { recordingLogger } from '../support/flags-files';
import { overridesClient, SECRET } from './fixtures';

/**
 * flagwire behind the real Flags SDK (`flags`): declarations served by the client, batched evaluation, the SDK's
 * own override cookie, precompute's serialize/deserialize, and Flags Explorer's provider data. Requests are fetch
 * Requests, as the Pages Router and proxy hand them to a flag; the App Router path runs in the Next example's e2e.
 */
const companyContext = ({ cookie }: { cookie(name: string): string | undefined }) => ({ company: { domain: cookie('company') ?? 'acme.test' } });

function requestFor(cookies: Record<string, string>): Request {
  const cookie = Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
  return new Request('http://app.test/', { headers: cookie ? { cookie } : {} });
}

describe('createFlagwireAdapter with the Flags SDK', () => {
  let client: FlagsClient;
  beforeEach(async () => {
    client = await overridesClient();
  });
  afterEach(() => client.close());

  it('serves declarations from the client, for the company its context names', async () => {
    const flagwire = createFlagwireAdapter(client, { context: companyContext });
    const headline = flag({ key: 'headline', adapter: flagwire('headline') });
    const dashboard = flag({ key: 'new-dashboard', adapter: flagwire('new-dashboard') });
    expect(await headline(requestFor({ company: 'acme.test' }))).toBe('Feature flags');
    expect(await headline(requestFor({ company: 'initech.test' }))).toBe('Ship it dark');
    expect(await dashboard(requestFor({ company: 'acme.test' }))).toBe(true);
    expect(await dashboard(requestFor({ company: 'initech.test' }))).toBe(false);
  });

  it("types by defaultValue: a value of another type serves the declaration's default", async () => {
    const flagwire = createFlagwireAdapter(client, { context: companyContext });
    const typed = flag<number>({ key: 'headline', adapter: flagwire() as never, defaultValue: 7 });
    expect(await typed(requestFor({}))).toBe(7);
    const unknown = flag<boolean>({ key: 'no-such-flag', adapter: flagwire() as never, defaultValue: true });
    expect(await unknown(requestFor({}))).toBe(true);
  });

  it('refuses a declaration whose key is not the one its adapter names (the SDK then serves the default)', async () => {
    const flagwire = createFlagwireAdapter(client, { context: companyContext });
    const mismatched = flag({ key: 'layout', adapter: flagwire('headline') as never, defaultValue: 'fallback' });
    expect(await mismatched(requestFor({}))).toBe('fallback');
  });

  it("evaluates several flags through one bulkDecide, and honours the SDK's override cookie", async () => {
    let snapshots = 0;
    const counted = Object.assign(Object.create(client) as FlagsClient, {
      snapshotNow: (context: never) => {
        snapshots++;
        return client.snapshotNow(context);
      },
    });
    const flagwire = createFlagwireAdapter(counted, { context: companyContext });
    const headline = flag({ key: 'headline', adapter: flagwire('headline') });
    const dashboard = flag({ key: 'new-dashboard', adapter: flagwire('new-dashboard') });
    const layout = flag({ key: 'layout', adapter: flagwire('layout') });
    expect(await evaluate([headline, dashboard, layout], requestFor({ company: 'initech.test' }))).toEqual(['Ship it dark', false, { columns: 1 }]);
    expect(snapshots).toBe(1);

    process.env.FLAGS_SECRET = SECRET;
    try {
      const cookie = await encryptOverrides({ headline: 'What if?' }, SECRET);
      expect(await evaluate([headline, dashboard], requestFor({ company: 'initech.test', 'vercel-flag-overrides': cookie }))).toEqual(['What if?', false]);
    } finally {
      delete process.env.FLAGS_SECRET;
    }
  });

  it('round-trips precomputed values through the SDK (serialize, deserialize)', async () => {
    const flagwire = createFlagwireAdapter(client, { context: companyContext });
    const headline = flag({ key: 'headline', adapter: flagwire('headline'), options: [{ value: 'Feature flags' }, { value: 'Ship it dark' }, { value: 'What if?' }] });
    const dashboard = flag({ key: 'new-dashboard', adapter: flagwire('new-dashboard') });
    const group = [headline, dashboard] as const;
    const values = await evaluate(group, requestFor({ company: 'initech.test' }));
    const code = await serialize(group, values, SECRET);
    expect(await deserialize(group, code, SECRET)).toEqual({ headline: 'Ship it dark', 'new-dashboard': false });
  });

  it('evaluates for no company and no user without a context', async () => {
    const flagwire = createFlagwireAdapter(client);
    const dashboard = flag({ key: 'new-dashboard', adapter: flagwire('new-dashboard') });
    expect(await dashboard(requestFor({ company: 'acme.test' }))).toBe(false);
  });
});

describe('getProviderData', () => {
  let client: FlagsClient;
  afterEach(() => client.close());

  it("gives Flags Explorer each flag's description and labelled options, merged with the SDK's own", async () => {
    client = await overridesClient();
    const data = getProviderData(client, { origin: (key) => `https://flags.example/${key}` });
    expect(data.hints).toEqual([]);
    expect(data.definitions.headline).toEqual({
      description: 'The home page headline experiment',
      options: [
        { label: 'control', value: 'Feature flags' },
        { label: 'bold', value: 'Ship it dark' },
        { label: 'question', value: 'What if?' },
      ],
      origin: 'https://flags.example/headline',
    });
    expect(data.definitions['internal-audit']?.options).toEqual([
      { label: 'On', value: true },
      { label: 'Off', value: false },
    ]);
    // The SDK's getProviderData of declarations in code has the same shape.
    const flagwire = createFlagwireAdapter(client);
    const declared = flagsProviderData({ headline: flag({ key: 'headline', adapter: flagwire('headline'), description: 'x' }) });
    expect(Object.keys(declared.definitions)).toEqual(['headline']);
  });

  it('says why there is nothing to list in API mode', () => {
    client = createFlagsClient({ apiKey: 'sch_test', logger: recordingLogger().logger, fetch: async () => new Response('{}', { status: 503 }) });
    expect(getProviderData(client)).toEqual({ definitions: {}, hints: [{ key: 'flagwire/no-flags', text: expect.stringContaining('api mode') }] });
  });
});
