import type * as FsModule from 'node:fs';
import type * as FsPromisesModule from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// Every file-system entry point the client could reach, wrapped so the test can see it was never used.
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof FsModule>();
  return { ...actual, watch: vi.fn(actual.watch), readFileSync: vi.fn(actual.readFileSync), watchFile: vi.fn(actual.watchFile) };
});
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof FsPromisesModule>();
  return { ...actual, readFile: vi.fn(actual.readFile), open: vi.fn(actual.open) };
});

const fs = await import('node:fs');
const fsPromises = await import('node:fs/promises');
const { createFlagsClient, REASON_FLAG_DEFAULT, REASON_OFFLINE } = await import('../../src/server/index');
const { SAMPLE_FLAGS, tempFlagsFile } = await import('../support/flags-files');

describe('offline mode', () => {
  const fetchSpy = vi.fn();
  beforeEach(() => {
    vi.stubGlobal('fetch', fetchSpy);
    vi.clearAllMocks();
  });
  afterEach(() => vi.unstubAllGlobals());

  it('serves flagDefaults and does no I/O at all, even with a flags file present', async () => {
    const files = tempFlagsFile(SAMPLE_FLAGS);
    vi.clearAllMocks();
    const client = createFlagsClient({ offline: true, flagsFile: files.file, flagDefaults: { 'advanced-reports': true } });
    const acme = { company: { domain: 'acme.test' } };
    expect(await client.ready()).toBe('ready');
    expect(client.mode).toBe('offline');
    expect(await client.checkFlagWithEntitlement(acme, 'advanced-reports')).toMatchObject({ value: true, reason: REASON_FLAG_DEFAULT });
    expect(await client.checkFlag(acme, 'internal-tools')).toBe(false);
    expect(await client.checkFlags(acme, ['advanced-reports', 'x'])).toMatchObject([
      { flagKey: 'advanced-reports', value: true, reason: REASON_OFFLINE },
      { flagKey: 'x', value: false, reason: REASON_OFFLINE },
    ]);
    expect(await client.checkFlags(acme)).toEqual([]);
    expect((await client.snapshot(acme)).isEnabled('advanced-reports')).toBe(true);
    await client.identify({ keys: { email: 'ada@acme.test' }, traits: { beta: true } });
    await client.track({ event: 'exports', company: acme.company });
    await client.close();
    files.cleanup();

    expect(fsPromises.readFile).not.toHaveBeenCalled();
    expect(fsPromises.open).not.toHaveBeenCalled();
    expect(fs.watch).not.toHaveBeenCalled();
    expect(fs.readFileSync).not.toHaveBeenCalled();
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('the same spies do see a local-mode client read and watch its file', async () => {
    const files = tempFlagsFile(SAMPLE_FLAGS);
    vi.clearAllMocks();
    const client = createFlagsClient({ flagsFile: files.file });
    await client.ready();
    await client.close();
    files.cleanup();
    expect(fsPromises.readFile).toHaveBeenCalled();
    expect(fs.watch).toHaveBeenCalled();
  });
});
