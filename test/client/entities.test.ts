import { afterEach, describe, expect, it } from 'vitest';
import { createFlagsClient, defineFlags, FlagwireConfigError, InvalidEntityError } from '../../src/server/index';
import { nextEvent, recordingLogger, tempFlagsFile } from '../support/flags-files';

const flags = defineFlags({
  'bulk-export': {
    client: true,
    rules: [{ type: 'entitlement', when: ['company.plan = pro', 'company.usage.exports per month < 3'] }],
  },
  'beta-dashboard': { rules: [{ when: 'user.beta = true' }, { when: 'company.region in [eu, uk]' }] },
});

describe('identify, track and upserts in local mode', () => {
  const clients: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
  });

  function start() {
    const log = recordingLogger();
    const client = createFlagsClient({ flags, logger: log.logger });
    clients.push(client);
    return { client, log };
  }

  it('identify creates the user and company; their traits change later answers', async () => {
    const { client } = start();
    const ada = { company: { domain: 'acme.test' }, user: { email: 'ada@acme.test' } };
    expect(await client.checkFlag(ada, 'beta-dashboard')).toBe(false);
    await client.identify({ keys: { email: 'ada@acme.test' }, traits: { beta: true }, company: { keys: { domain: 'acme.test' }, traits: { region: 'us' } } });
    expect(await client.checkFlag(ada, 'beta-dashboard')).toBe(true);
    await client.identify({ keys: { email: 'ada@acme.test' }, traits: { beta: false } });
    expect(await client.checkFlag(ada, 'beta-dashboard')).toBe(false);
    await client.identify({ keys: { email: 'ada@acme.test' }, company: { keys: { domain: 'acme.test' }, traits: { region: 'uk' } } });
    expect(await client.checkFlag(ada, 'beta-dashboard')).toBe(true);
  });

  it('track moves a pro company past its monthly limit', async () => {
    const files = tempFlagsFile({ flags, companies: [{ keys: { domain: 'acme.test' }, plan: 'pro', usage: { exports: 1 } }] });
    const client = createFlagsClient({ flagsFile: files.file, watch: false, logger: recordingLogger().logger });
    clients.push({ close: async () => (await client.close(), files.cleanup()) });
    const acme = { company: { domain: 'acme.test' } };
    expect(await client.checkFlag(acme, 'bulk-export')).toBe(true);
    await client.track({ event: 'exports', company: acme.company });
    expect((await client.snapshot(acme)).entitlement('bulk-export')).toMatchObject({ usage: 2, allocation: 3 });
    await client.track({ event: 'exports', company: acme.company, quantity: 1 });
    expect(await client.checkFlag(acme, 'bulk-export')).toBe(false);
    expect(await client.checkFlag(acme, 'bulk-export', { usage: 0 })).toBe(false);
  });

  it('preflight usage counts usage about to be consumed', async () => {
    const files = tempFlagsFile({ flags, companies: [{ keys: { domain: 'acme.test' }, plan: 'pro', usage: { exports: 1 } }] });
    const client = createFlagsClient({ flagsFile: files.file, watch: false, logger: recordingLogger().logger });
    clients.push({ close: async () => (await client.close(), files.cleanup()) });
    const acme = { company: { domain: 'acme.test' } };
    expect(await client.checkFlag(acme, 'bulk-export', { eventUsage: { eventSubtype: 'exports', quantity: 1 } })).toBe(true);
    expect(await client.checkFlag(acme, 'bulk-export', { eventUsage: { eventSubtype: 'exports', quantity: 2 } })).toBe(false);
  });

  it('upserts return typed details and reject bodies without keys', async () => {
    const { client } = start();
    const { data: user } = await client.companies.upsertUser({ keys: { email: 'grace@acme.test' }, name: 'Grace', traits: { beta: true } });
    expect(user).toEqual({ id: 'grace@acme.test', keys: { email: 'grace@acme.test' }, name: 'Grace', traits: { beta: true } });
    await expect(client.companies.upsertCompany({ keys: {} })).rejects.toBeInstanceOf(InvalidEntityError);
  });

  it('never throws from identify or track, and logs what it could not apply', async () => {
    const { client, log } = start();
    await expect(client.identify({ keys: {} })).resolves.toBeUndefined();
    await expect(client.track({ event: '' })).resolves.toBeUndefined();
    await expect(client.track(null as never)).resolves.toBeUndefined();
    expect(log.lines.filter((l) => l.level === 'error').map((l) => l.message)).toEqual(['identify was not applied', 'track was not applied', 'track was not applied']);
  });

  it('emits a change naming the company when track or identify updates it', async () => {
    const { client } = start();
    const change = nextEvent(client, 'change');
    await client.track({ event: 'exports', company: { domain: 'acme.test' } });
    expect(await change).toEqual({ type: 'company', id: 'acme.test', keys: { domain: 'acme.test' } });
  });
});

describe('options are checked when the client is created', () => {
  it.each([
    [{ timeoutMs: -1 }, 'timeoutMs'],
    [{ flagFile: 'x.json' }, 'flagFile'],
    [{ logLevel: 'loud' }, 'logLevel'],
    [{ flagDefaults: { a: Number.NaN } }, 'flagDefaults.a'],
    [{ basePath: 'ftp://example.test' }, 'basePath'],
    [{ maxRetries: 1.5 }, 'maxRetries'],
    [{ cacheProviders: { flagChecks: [{}] } }, 'cacheProviders.flagChecks'],
    [{ useDataStream: true }, 'useDataStream'],
    [{ flags: {}, flagsFile: 'x.json' }, 'flags'],
    [{ maxQueuedEventBytes: 0 }, 'maxQueuedEventBytes'],
    [{ maxEventRequestsInFlight: 1.5 }, 'maxEventRequestsInFlight'],
  ])('%j throws FlagwireConfigError naming %s', (options, field) => {
    let thrown: unknown;
    try {
      createFlagsClient(options as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FlagwireConfigError);
    expect((thrown as FlagwireConfigError).field).toBe(field);
  });

  it('suggests the option a typo meant', () => {
    expect(() => createFlagsClient({ flagFile: 'x.json' } as never)).toThrow('did you mean "flagsFile"?');
  });
});

describe('a flags file declaring more entities than the store keeps', () => {
  it('says so, naming maxEntities, instead of dropping some without a word', async () => {
    const users = Array.from({ length: 5 }, (_, i) => ({ keys: { email: `u${i}@acme.test` } }));
    const files = tempFlagsFile({ flags: {}, users });
    const log = recordingLogger();
    const client = createFlagsClient({ flagsFile: files.file, watch: false, maxEntities: 3, logger: log.logger });
    await client.ready();
    await client.close();
    files.cleanup();
    expect(log.lines.filter((line) => line.level === 'warn').map((line) => line.message)).toEqual([
      'the flags file declares 5 users, but the store keeps 3 (maxEntities): the 2 least recently used are dropped; raise maxEntities to keep them all',
    ]);
  });
});
