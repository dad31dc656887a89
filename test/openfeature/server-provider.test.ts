import { ErrorCode, OpenFeature, ProviderEvents, ProviderStatus, StandardResolutionReasons, type EventDetails } from '@openfeature/server-sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FlagwireProvider } from '../../src/openfeature/server';
import { createFlagsClient, type FlagsClient } from '../../src/server';
import { recordingLogger, tempFlagsFile } from '../support/flags-files';

const FLAGS = {
  flags: {
    'dark-mode': { default: true },
    headline: { variations: { plain: 'Hello', bold: 'HELLO' }, default: 'plain', rules: [{ when: 'user.country = DE', value: 'bold' }] },
    'page-size': { variations: { small: 10, large: 50 }, default: 'small' },
    theme: { variations: { light: { accent: 'blue' }, dark: { accent: 'black' } }, default: 'light' },
    retired: { enabled: false },
  },
};

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let domains = 0;
/** A provider over a client of `FLAGS`, registered under its own domain so tests do not share state. */
async function openFeatureClient(client: FlagsClient) {
  const provider = new FlagwireProvider(client);
  const domain = `server-provider-${domains++}`;
  await OpenFeature.setProviderAndWait(domain, provider).catch(() => undefined);
  cleanups.push(() => OpenFeature.clearProviders());
  return { provider, openFeature: OpenFeature.getClient(domain) };
}

function inlineClient() {
  const client = createFlagsClient({ flags: FLAGS.flags, logger: recordingLogger().logger });
  cleanups.push(() => client.close());
  return client;
}

/** Resolves with the next event of that type the OpenFeature client hears, or rejects after 5 s. */
function nextProviderEvent(openFeature: ReturnType<typeof OpenFeature.getClient>, type: ProviderEvents): Promise<EventDetails> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} within 5 s`)), 5000);
    const handler = (details?: EventDetails) => {
      clearTimeout(timer);
      openFeature.removeHandler(type, handler);
      resolve(details as EventDetails);
    };
    openFeature.addHandler(type, handler);
  });
}

describe('FlagwireProvider (server): evaluation', () => {
  it('resolves the four types with their value, variant, reason and metadata', async () => {
    const { openFeature } = await openFeatureClient(inlineClient());
    expect(await openFeature.getBooleanDetails('dark-mode', false)).toMatchObject({ value: true, variant: 'true', reason: StandardResolutionReasons.DEFAULT });
    expect(await openFeature.getStringDetails('headline', 'x')).toMatchObject({ value: 'Hello', variant: 'plain', reason: 'DEFAULT' });
    expect(await openFeature.getNumberDetails('page-size', 0)).toMatchObject({ value: 10, variant: 'small' });
    const theme = await openFeature.getObjectDetails('theme', {});
    expect(theme).toMatchObject({ value: { accent: 'blue' }, variant: 'light', flagMetadata: { kind: 'fallthrough', reason: 'No rules matched; fallthrough' } });
    expect(theme.errorCode).toBeUndefined();
  });

  it('evaluates with the mapped context: a rule on a request attribute matches, and names itself', async () => {
    const { openFeature } = await openFeatureClient(inlineClient());
    const details = await openFeature.getStringDetails('headline', 'x', { targetingKey: 'ada', country: 'DE' });
    expect(details).toMatchObject({ value: 'HELLO', variant: 'bold', reason: StandardResolutionReasons.TARGETING_MATCH });
    expect(details.flagMetadata.ruleId).toEqual(expect.any(String));
  });

  it('reports a disabled flag as DISABLED, serving its off value', async () => {
    const { openFeature } = await openFeatureClient(inlineClient());
    expect(await openFeature.getBooleanDetails('retired', true)).toMatchObject({ value: false, reason: StandardResolutionReasons.DISABLED });
  });

  it('answers an unknown flag and a wrong type with the caller default and an error code, never a throw', async () => {
    const { openFeature } = await openFeatureClient(inlineClient());
    expect(await openFeature.getStringDetails('nope', 'fallback')).toMatchObject({ value: 'fallback', reason: 'ERROR', errorCode: ErrorCode.FLAG_NOT_FOUND });
    expect(await openFeature.getNumberDetails('headline', 7)).toMatchObject({ value: 7, reason: 'ERROR', errorCode: ErrorCode.TYPE_MISMATCH });
    expect(await openFeature.getObjectDetails('dark-mode', { a: 1 })).toMatchObject({ value: { a: 1 }, errorCode: ErrorCode.TYPE_MISMATCH });
  });

  it('answers TARGETING_KEY_MISSING for a rollout by key evaluated without a targeting key', async () => {
    const client = createFlagsClient({ flags: { split: { variations: ['a', 'b'], default: 'a', rollout: { a: 50, b: 50 } } }, logger: recordingLogger().logger });
    cleanups.push(() => client.close());
    const { openFeature } = await openFeatureClient(client);
    expect(await openFeature.getStringDetails('split', 'fallback', {})).toMatchObject({ value: 'fallback', reason: 'ERROR', errorCode: ErrorCode.TARGETING_KEY_MISSING });
    expect(await openFeature.getStringDetails('split', 'fallback', { targetingKey: 'ada' })).toMatchObject({ reason: StandardResolutionReasons.SPLIT });
  });

  it('answers DEFAULT without an error from an offline client, which serves defaults on purpose', async () => {
    const client = createFlagsClient({ offline: true, logger: recordingLogger().logger });
    cleanups.push(() => client.close());
    const { openFeature } = await openFeatureClient(client);
    const details = await openFeature.getBooleanDetails('anything', true);
    expect(details).toMatchObject({ value: true, reason: StandardResolutionReasons.DEFAULT });
    expect(details.errorCode).toBeUndefined();
  });

  it('answers PROVIDER_NOT_READY while the client has no flags', async () => {
    const files = tempFlagsFile();
    cleanups.push(files.cleanup);
    const client = createFlagsClient({ flagsFile: files.file, watch: false, startWaitMs: 200, logger: recordingLogger().logger });
    cleanups.push(() => client.close());
    const provider = new FlagwireProvider(client);
    await client.ready();
    const resolution = await provider.resolveBooleanEvaluation('dark-mode', true, {});
    expect(resolution).toMatchObject({ value: true, reason: 'ERROR', errorCode: ErrorCode.PROVIDER_NOT_READY });
  });
});

describe('FlagwireProvider (server): status and events', () => {
  it('is READY once the client is, and signals CONFIGURATION_CHANGED with the changed keys', async () => {
    const client = inlineClient();
    const { openFeature } = await openFeatureClient(client);
    expect(openFeature.providerStatus).toBe(ProviderStatus.READY);
    const changed = nextProviderEvent(openFeature, ProviderEvents.ConfigurationChanged);
    await client.invalidate({ type: 'flags', keys: ['headline'] });
    expect((await changed).flagsChanged).toEqual(['headline']);
  });

  it('signals a company or user change as a configuration change naming the entity', async () => {
    const client = inlineClient();
    const { openFeature } = await openFeatureClient(client);
    const changed = nextProviderEvent(openFeature, ProviderEvents.ConfigurationChanged);
    await client.invalidate({ type: 'company', id: 'acme', keys: { domain: 'acme.test' } });
    expect(await changed).toMatchObject({ metadata: { entity: 'company', id: 'acme' } });
  });

  it('goes STALE when the flags stop loading and READY again when they load', async () => {
    const files = tempFlagsFile(FLAGS);
    cleanups.push(files.cleanup);
    const client = createFlagsClient({ flagsFile: files.file, watch: true, logger: recordingLogger().logger });
    cleanups.push(() => client.close());
    const { openFeature } = await openFeatureClient(client);
    const stale = nextProviderEvent(openFeature, ProviderEvents.Stale);
    files.write('{ "flags": ');
    await stale;
    expect(openFeature.providerStatus).toBe(ProviderStatus.STALE);
    const ready = nextProviderEvent(openFeature, ProviderEvents.Ready);
    files.write(FLAGS);
    await ready;
    expect(openFeature.providerStatus).toBe(ProviderStatus.READY);
  });

  it('is in ERROR when the client cannot load flags, saying why, and READY once it can', async () => {
    const files = tempFlagsFile();
    cleanups.push(files.cleanup);
    const client = createFlagsClient({ flagsFile: files.file, watch: true, startWaitMs: 200, logger: recordingLogger().logger });
    cleanups.push(() => client.close());
    const { openFeature } = await openFeatureClient(client);
    expect(openFeature.providerStatus).toBe(ProviderStatus.ERROR);
    const ready = nextProviderEvent(openFeature, ProviderEvents.Ready);
    files.write(FLAGS);
    await ready;
    expect(await openFeature.getBooleanValue('dark-mode', false)).toBe(true);
  });

  it('emits ERROR with the reason when initialization fails', async () => {
    const files = tempFlagsFile();
    cleanups.push(files.cleanup);
    const client = createFlagsClient({ flagsFile: files.file, watch: false, startWaitMs: 200, logger: recordingLogger().logger });
    cleanups.push(() => client.close());
    const provider = new FlagwireProvider(client);
    await expect(provider.initialize()).rejects.toThrow(/not found/);
  });
});

describe('FlagwireProvider (server): tracking and shutdown', () => {
  it('records a tracking event as track(), with the context keys, the value as quantity and the other details as traits', async () => {
    const client = inlineClient();
    const track = vi.spyOn(client, 'track');
    const { openFeature } = await openFeatureClient(client);
    openFeature.track('exports', { targetingKey: 'ada', company: { id: 'acme' } }, { value: 3, format: 'csv' });
    expect(track).toHaveBeenCalledWith({ event: 'exports', user: { key: 'ada' }, company: { id: 'acme' }, quantity: 3, traits: { format: 'csv' } });
  });

  it('leaves out what a tracking event does not carry', async () => {
    const client = inlineClient();
    const track = vi.spyOn(client, 'track');
    const { openFeature } = await openFeatureClient(client);
    openFeature.track('signup');
    expect(track).toHaveBeenCalledWith({ event: 'signup' });
  });

  it('closes the client when OpenFeature shuts the provider down, and a second shutdown is harmless', async () => {
    const client = inlineClient();
    const { provider } = await openFeatureClient(client);
    await provider.onClose();
    await provider.onClose();
    expect(client.status).toBe('closed');
  });

  it('identifies itself by name', () => {
    expect(new FlagwireProvider(inlineClient()).metadata.name).toBe('flagwire');
  });
});
