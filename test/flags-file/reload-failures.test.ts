import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createFlagsClient, FlagwireError } from '../../src/server/index';
import { LocalFileSource } from '../../src/sources/file/local-file-source';
import { nextEvent, recordingLogger, SAMPLE_FLAGS, tempFlagsFile } from '../support/flags-files';

const acme = { company: { domain: 'acme.test' } };

describe('a watched flags file that cannot be loaded', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('replaced by 6000 levels of nesting: reports an error, keeps the last good flags, rejects nothing', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    cleanups.push(() => process.off('unhandledRejection', onUnhandled));
    const files = tempFlagsFile(SAMPLE_FLAGS);
    const client = createFlagsClient({ flagsFile: files.file, logger: recordingLogger().logger });
    cleanups.push(() => client.close(), files.cleanup);
    expect(await client.ready()).toBe('ready');

    for (const deep of [`${'['.repeat(6000)}${']'.repeat(6000)}`, `{"flags": ${'{"a":'.repeat(6000)}1${'}'.repeat(6000)}}`]) {
      const failed = nextEvent(client, 'error', 3000);
      files.write(deep);
      const error = await failed;
      expect(error).toBeInstanceOf(FlagwireError);
      expect(error.message).toContain('nested deeper than 64 levels');
      expect(await client.checkFlag(acme, 'advanced-reports')).toBe(true);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
  });

  it('reports any failure while loading as a FlagwireError, not a rejection', async () => {
    const files = tempFlagsFile(SAMPLE_FLAGS);
    cleanups.push(files.cleanup);
    const errors: unknown[] = [];
    const source = new LocalFileSource({
      file: files.file,
      watch: false,
      onData: () => {
        throw new RangeError('Maximum call stack size exceeded');
      },
      onError: (error) => void errors.push(error),
    });
    cleanups.push(() => source.close());
    await expect(source.start()).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(FlagwireError);
    expect((errors[0] as Error).message).toContain('Maximum call stack size exceeded');
  });

  it('deleted, then restored with the same text: loads it again and is ready, not stale for good', async () => {
    const files = tempFlagsFile(SAMPLE_FLAGS);
    const client = createFlagsClient({ flagsFile: files.file, logger: recordingLogger().logger });
    cleanups.push(() => client.close(), files.cleanup);
    expect(await client.ready()).toBe('ready');
    const stale = nextEvent(client, 'status', 3000);
    rmSync(files.file);
    expect(await stale).toBe('stale');
    const ready = nextEvent(client, 'status', 3000);
    files.write(SAMPLE_FLAGS);
    expect(await ready).toBe('ready');
  });

  it('a missing file: ready() called before the error resolves at the error, not after startWaitMs', async () => {
    const log = recordingLogger();
    // Were ready() to wait out startWaitMs, this test would run into vitest's timeout and fail.
    const files = tempFlagsFile();
    const client = createFlagsClient({ flagsFile: files.file, startWaitMs: 600_000, logger: log.logger });
    cleanups.push(() => client.close(), files.cleanup);
    expect(await client.ready()).toBe('initializing');
    expect(log.lines.map((l) => l.message).join('\n')).toContain('not found');
  });
});
