import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFlagsText } from '../../src/engine/index';
import { createFlagsClient, type FlagsClient, FlagsFileError, MAX_FLAGS_FILE_BYTES } from '../../src/server/index';
import { WORKER_FROM_BYTES } from '../../src/sources/file/local-file-source';
import { nextEvent, recordingLogger, tempFlagsFile } from '../support/flags-files';

/** About 5 MB: over sixteen times the size from which a file is read off the event loop. */
const USERS = 60_000;
const TICK_MS = 5;

/** A flags file with many users; `banner` serves `bannerOn`, so a reload that flips it emits a change. */
function bigFile(bannerOn: boolean, tail = ''): string {
  const users: string[] = [];
  for (let i = 0; i < USERS; i++) users.push(`{ "keys": { "email": "user-${i}@acme.test" }, "traits": { "role": "${i % 3 === 0 ? 'admin' : 'viewer'}" } }`);
  return `{\n  "flags": {\n    "banner": { "default": ${bannerOn} },\n    "editor": { "rules": [{ "when": "user.role = admin" }] }\n  },\n  "users": [\n${users.join(',\n')}\n  ]${tail}\n}\n`;
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function start(content: string): Promise<{ client: FlagsClient; write: (text: string) => void; errors: Error[] }> {
  const files = tempFlagsFile(content);
  const client = createFlagsClient({ flagsFile: files.file, watch: true, startWaitMs: 120_000, logger: recordingLogger().logger });
  cleanups.push(() => client.close(), files.cleanup);
  const errors: Error[] = [];
  client.on('error', (error) => void errors.push(error));
  expect(await client.ready()).toBe('ready');
  return { client, write: files.write, errors };
}

describe('a large flags file', () => {
  it('reloads off the event loop: checks keep answering, with the last good flags, until the new ones are whole', async () => {
    const text = bigFile(false);
    expect(text.length).toBeGreaterThan(16 * WORKER_FROM_BYTES);
    const { client, write } = await start(text);
    const ada = { user: { email: 'user-0@acme.test' } };
    expect(await client.checkFlag(ada, 'editor')).toBe(true);

    let lastTick = performance.now();
    let longestStallMs = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longestStallMs = Math.max(longestStallMs, now - lastTick - TICK_MS);
      lastTick = now;
    }, TICK_MS);
    let reloading = true;
    const answers: boolean[] = [];
    const checking = (async () => {
      while (reloading) {
        answers.push(await client.checkFlag(ada, 'banner'));
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const changed = nextEvent(client, 'change', 120_000);
    const started = performance.now();
    write(bigFile(true));
    expect(await changed).toEqual({ type: 'flags', keys: ['banner'] });
    const reloadMs = performance.now() - started;
    const answeredDuringReload = answers.length;
    // A stall is seen by the first tick after it.
    await new Promise((resolve) => setTimeout(resolve, 4 * TICK_MS));
    reloading = false;
    await checking;
    clearInterval(ticker);

    // Read on the event loop, the reload stalled it for nearly all its length (about 4 s here); now the loop
    // waits a slice at a time. A quarter of the reload is a generous bound on a busy machine.
    expect(longestStallMs).toBeLessThan(reloadMs / 4);
    // The last good flags answered until the new ones were whole, then the new ones did (the change event may
    // come a little after the switch).
    const firstNew = answers.indexOf(true);
    expect(firstNew).toBeGreaterThan(10);
    expect(firstNew).toBeLessThanOrEqual(answeredDuringReload);
    expect(answers.slice(firstNew)).not.toContain(false);
    expect(await client.checkFlag(ada, 'banner')).toBe(true);
    expect(await client.checkFlag({ user: { email: `user-${USERS - 1}@acme.test` } }, 'editor')).toBe(USERS % 3 === 1);
  }, 240_000);

  it('read off the event loop, reports its problems with their places, and keeps the last good flags', async () => {
    const { client, write, errors } = await start(bigFile(false));
    const failed = nextEvent(client, 'error', 120_000);
    write(bigFile(true, ',\n  "segmnets": {}'));
    const error = await failed;
    expect(error).toBeInstanceOf(FlagsFileError);
    expect((error as FlagsFileError).problems).toEqual([expect.objectContaining({ line: USERS + 8, column: 3, path: 'segmnets', message: 'unknown field "segmnets" (did you mean "segments"?)' })]);
    expect(client.status).toBe('stale');
    expect(await client.checkFlag({}, 'banner')).toBe(false);
    expect(errors).toHaveLength(1);
  }, 240_000);

  it(`is refused past ${MAX_FLAGS_FILE_BYTES / 1024 / 1024} MB, before it is read, keeping the last good flags`, async () => {
    const files = tempFlagsFile(JSON.stringify({ flags: { banner: { default: true } } }));
    cleanups.push(files.cleanup);
    const client = createFlagsClient({ flagsFile: files.file, watch: true, logger: recordingLogger().logger });
    cleanups.push(() => client.close());
    await client.ready();
    const failed = nextEvent(client, 'error', 60_000);
    // Valid JSON: only its size is wrong.
    writeFileSync(files.file, `${JSON.stringify({ flags: { banner: { default: false } } })}${' '.repeat(MAX_FLAGS_FILE_BYTES)}`);
    expect((await failed).message).toMatch(/64\.0 MB is more than a flags file may hold \(64\.0 MB\): keep companies and users in your database/);
    expect(client.status).toBe('stale');
    expect(await client.checkFlag({}, 'banner')).toBe(true);
  }, 120_000);

  it(`is refused past ${MAX_FLAGS_FILE_BYTES / 1024 / 1024} MB by loadFlagsText too, as validate reads it`, () => {
    const text = `{ "flags": {} }${' '.repeat(MAX_FLAGS_FILE_BYTES)}`;
    expect(() => loadFlagsText(text, 'big.json')).toThrow(FlagsFileError);
    expect(() => loadFlagsText(text, 'big.json')).toThrow('is more than a flags file may hold');
  });
});
