// @vitest-environment jsdom
import { ErrorCode, OpenFeature, ProviderEvents, ProviderStatus, StandardResolutionReasons, type EventDetails } from '@openfeature/web-sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FlagwireWebProvider } from '../../src/openfeature/web';
import type { SnapshotJSON } from '../../src/server';
import { LiveSocketServer } from '../support/live-socket-server';

const PAGE: SnapshotJSON = {
  v: 2,
  flags: {
    'new-editor': { value: true },
    headline: { value: 'bold', variation: 'bold' },
    'page-size': { value: 50, variation: 'large' },
    theme: { value: { accent: 'black' }, variation: 'dark' },
  },
};
const NEXT: SnapshotJSON = { v: 2, flags: { ...PAGE.flags, headline: { value: 'question', variation: 'question' } } };

const fetchSpy = vi.fn();
let domains = 0;

beforeEach(() => {
  fetchSpy.mockReset();
  fetchSpy.mockImplementation(async () => Response.json(NEXT));
  vi.stubGlobal('fetch', fetchSpy);
});
afterEach(async () => {
  await OpenFeature.clearProviders();
  vi.unstubAllGlobals();
});

async function openFeatureClient(provider: FlagwireWebProvider) {
  const domain = `web-provider-${domains++}`;
  await OpenFeature.setProviderAndWait(domain, provider).catch(() => undefined);
  return OpenFeature.getClient(domain);
}

function nextEvent(client: ReturnType<typeof OpenFeature.getClient>, type: ProviderEvents): Promise<EventDetails> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} within 5 s`)), 5000);
    const handler = (details?: EventDetails) => {
      clearTimeout(timer);
      client.removeHandler(type, handler);
      resolve(details as EventDetails);
    };
    client.addHandler(type, handler);
  });
}

describe('FlagwireWebProvider: values from the page', () => {
  it('is READY with the hydrated values and makes no request to get there', async () => {
    const client = await openFeatureClient(new FlagwireWebProvider({ snapshot: PAGE, endpoint: '/api/flags' }));
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(client.getBooleanDetails('new-editor', false)).toMatchObject({ value: true, variant: 'true', reason: StandardResolutionReasons.CACHED });
    expect(client.getStringDetails('headline', 'control')).toMatchObject({ value: 'bold', variant: 'bold', reason: 'CACHED' });
    expect(client.getNumberDetails('page-size', 10)).toMatchObject({ value: 50, variant: 'large' });
    expect(client.getObjectDetails('theme', {})).toMatchObject({ value: { accent: 'black' }, variant: 'dark' });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('answers a flag the page was not sent, or asked as another type, with the default and an error code', async () => {
    const client = await openFeatureClient(new FlagwireWebProvider({ snapshot: PAGE }));
    expect(client.getStringDetails('secret', 'fallback')).toMatchObject({ value: 'fallback', reason: 'ERROR', errorCode: ErrorCode.FLAG_NOT_FOUND });
    expect(client.getBooleanDetails('headline', false)).toMatchObject({ value: false, reason: 'ERROR', errorCode: ErrorCode.TYPE_MISMATCH });
  });

  it('with no page payload, loads the endpoint once to initialize; is in ERROR when it cannot, and READY once a revalidation can', async () => {
    const loaded = await openFeatureClient(new FlagwireWebProvider({ snapshot: null, endpoint: '/api/flags' }));
    expect(loaded.getStringValue('headline', 'x')).toBe('question');
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    fetchSpy.mockImplementation(async () => new Response('nope', { status: 503 }));
    const failed = await openFeatureClient(new FlagwireWebProvider({ snapshot: null, endpoint: '/api/flags' }));
    expect(failed.providerStatus).toBe(ProviderStatus.ERROR);
    fetchSpy.mockImplementation(async () => Response.json(NEXT));
    const ready = nextEvent(failed, ProviderEvents.Ready);
    window.dispatchEvent(new Event('focus'));
    await ready;
    expect(failed.getStringValue('headline', 'x')).toBe('question');
  });
});

describe('FlagwireWebProvider: revalidation', () => {
  it('revalidates on focus and signals the flags whose values changed', async () => {
    const client = await openFeatureClient(new FlagwireWebProvider({ snapshot: PAGE, endpoint: '/api/flags' }));
    const changed = nextEvent(client, ProviderEvents.ConfigurationChanged);
    window.dispatchEvent(new Event('focus'));
    expect((await changed).flagsChanged).toEqual(['headline']);
    expect(client.getStringValue('headline', 'x')).toBe('question');
    expect(fetchSpy).toHaveBeenCalledWith('/api/flags', expect.objectContaining({ credentials: 'same-origin' }));
  });

  it('goes STALE when a revalidation fails, keeping the values, and READY when one succeeds', async () => {
    fetchSpy.mockImplementation(async () => new Response('down', { status: 503 }));
    const client = await openFeatureClient(new FlagwireWebProvider({ snapshot: PAGE, endpoint: '/api/flags' }));
    const stale = nextEvent(client, ProviderEvents.Stale);
    window.dispatchEvent(new Event('online'));
    expect((await stale).message).toContain('503');
    expect(client.providerStatus).toBe(ProviderStatus.STALE);
    expect(client.getStringValue('headline', 'x')).toBe('bold');
    fetchSpy.mockImplementation(async () => Response.json(NEXT));
    const ready = nextEvent(client, ProviderEvents.Ready);
    window.dispatchEvent(new Event('focus'));
    await ready;
    expect(client.providerStatus).toBe(ProviderStatus.READY);
  });

  it('revalidates when the evaluation context changes (a sign-in changes the session)', async () => {
    const domain = `web-provider-${domains++}`;
    await OpenFeature.setProviderAndWait(domain, new FlagwireWebProvider({ snapshot: PAGE, endpoint: '/api/flags' }));
    await OpenFeature.setContext(domain, { targetingKey: 'ada' });
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(OpenFeature.getClient(domain).getStringValue('headline', 'x')).toBe('question');
  });

  it('runs a revalidation asked for while one is in flight once, after it', async () => {
    let answer!: () => void;
    fetchSpy.mockImplementationOnce(() => new Promise<Response>((resolve) => (answer = () => resolve(Response.json(PAGE)))));
    const client = await openFeatureClient(new FlagwireWebProvider({ snapshot: PAGE, endpoint: '/api/flags' }));
    window.dispatchEvent(new Event('focus'));
    window.dispatchEvent(new Event('focus'));
    window.dispatchEvent(new Event('online'));
    const changed = nextEvent(client, ProviderEvents.ConfigurationChanged);
    answer();
    expect((await changed).flagsChanged).toEqual(['headline']);
    expect(fetchSpy).toHaveBeenCalledTimes(2);
  });

  it('stops revalidating once closed', async () => {
    const provider = new FlagwireWebProvider({ snapshot: PAGE, endpoint: '/api/flags' });
    await openFeatureClient(provider);
    await provider.onClose();
    window.dispatchEvent(new Event('focus'));
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe('FlagwireWebProvider: live channel (real ws server)', () => {
  let live: LiveSocketServer;

  beforeEach(async () => {
    live = await new LiveSocketServer().start();
  });
  afterEach(async () => {
    await OpenFeature.clearProviders();
    await live.stop();
  });

  const until = async (predicate: () => boolean) => {
    for (let waited = 0; !predicate(); waited += 10) {
      if (waited > 5000) throw new Error('condition not met within 5 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  it('revalidates the endpoint on a change notice and serves the new values', async () => {
    const client = await openFeatureClient(new FlagwireWebProvider({ snapshot: PAGE, endpoint: 'http://app.test/api/flags', live: live.url }));
    await until(() => live.sockets.size === 1);
    expect(fetchSpy).not.toHaveBeenCalled();
    const changed = nextEvent(client, ProviderEvents.ConfigurationChanged);
    live.broadcast({ type: 'flags', keys: ['headline'] });
    expect((await changed).flagsChanged).toEqual(['headline']);
    expect(client.getStringValue('headline', 'x')).toBe('question');
    expect(fetchSpy).toHaveBeenCalledTimes(1);
  });

  it('closes its socket on shutdown', async () => {
    const provider = new FlagwireWebProvider({ snapshot: PAGE, endpoint: '/api/flags', live: live.url });
    await openFeatureClient(provider);
    await until(() => live.sockets.size === 1);
    await provider.onClose();
    await until(() => live.sockets.size === 0);
  });
});
