import { afterEach, describe, expect, it } from 'vitest';
import { type ChangeEvent, createFlagsClient, type FlagsClient } from '../../src/server/index';
import { recordingLogger, tempFlagsFile } from '../support/flags-files';

/**
 * A reload re-reads the companies and users whose declaration changed, and those whose traits a condition now
 * types otherwise (a trait's type comes from the conditions that read it): an entity is known by a fingerprint
 * of what the file declares, never by its text kept.
 */
const ada = { user: { id: 'ada' } };
const USERS = [
  { id: 'ada', keys: { id: 'ada' }, traits: { seats: '12', plan: 'pro' } },
  { id: 'bob', keys: { id: 'bob' }, traits: { seats: '5', plan: 'free' } },
];

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function start(content: object): Promise<{ client: FlagsClient; write: (content: object) => Promise<ChangeEvent[]> }> {
  const files = tempFlagsFile(content);
  const client = createFlagsClient({ flagsFile: files.file, logger: recordingLogger().logger });
  cleanups.push(() => client.close(), files.cleanup);
  expect(await client.ready()).toBe('ready');
  const changes: ChangeEvent[] = [];
  client.on('change', (change) => changes.push(change));
  // Resolves with the changes the reload announced, once its flags are in (their event comes last).
  const write = async (next: object) => {
    changes.splice(0);
    const flagsChanged = new Promise<void>((resolve) => {
      const off = client.on('change', (change) => {
        if (change.type !== 'flags') return;
        off();
        resolve();
      });
    });
    files.write(next);
    await flagsChanged;
    return [...changes];
  };
  return { client, write };
}

describe('a flags file reload', () => {
  it('re-reads no user when only flags change, and the users whose declaration changed when they do', async () => {
    const { client, write } = await start({ flags: { pro: { rules: [{ when: 'user.plan = pro' }] } }, users: USERS });
    expect(await client.checkFlag(ada, 'pro')).toBe(true);

    const flagsOnly = await write({ flags: { pro: { rules: [{ when: 'user.plan in [pro, team]' }] }, other: {} }, users: USERS });
    expect(flagsOnly.filter((change) => change.type === 'user')).toEqual([]);

    const adaDowngraded = USERS.map((user) => (user.id === 'ada' ? { ...user, traits: { ...user.traits, plan: 'free' } } : user));
    const oneUser = await write({ flags: { pro: { rules: [{ when: 'user.plan = pro' }] } }, users: adaDowngraded });
    expect(oneUser.filter((change) => change.type === 'user').map((change) => (change as { id: string }).id)).toEqual(['ada']);
    expect(await client.checkFlag(ada, 'pro')).toBe(false);
  });

  it('re-reads the users whose trait a condition now types otherwise', async () => {
    // `seats` is written as a string; a condition with a number makes it a number, so 12 >= 10.
    const { client, write } = await start({ flags: { big: { rules: [{ when: 'user.seats >= 10' }] } }, users: USERS });
    expect(await client.checkFlag(ada, 'big')).toBe(true);
    // Compared with a word, `seats` is text again: "12" > "100a" as text, where as a number it would not be.
    const retyped = await write({ flags: { big: { rules: [{ when: 'user.seats > 100a' }] } }, users: USERS });
    expect(retyped.filter((change) => change.type === 'user').map((change) => (change as { id: string }).id).sort()).toEqual(['ada', 'bob']);
    expect(await client.checkFlag(ada, 'big')).toBe(true);
    expect(await client.checkFlag({ user: { id: 'bob' } }, 'big')).toBe(true);
    // And back: a number again, so 12 > 100 is false.
    await write({ flags: { big: { rules: [{ when: 'user.seats > 100' }] } }, users: USERS });
    expect(await client.checkFlag(ada, 'big')).toBe(false);
  });
});
