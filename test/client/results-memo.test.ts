import { afterEach, describe, expect, it } from 'vitest';
import { createFlagsClient } from '../../src/server/index';
import { nextEvent, SAMPLE_FLAGS, tempFlagsFile } from '../support/flags-files';
import { Random } from '../support/random';

/**
 * Snapshots reuse results per company and user between requests (`ResultsMemo`). These tests change
 * entities and flags under them and check every remembered value against a fresh evaluation (`checkFlag`,
 * which never reads the memo).
 */
describe('remembered snapshot values follow every change', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function start() {
    const files = tempFlagsFile(SAMPLE_FLAGS);
    const client = createFlagsClient({ flagsFile: files.file });
    cleanups.push(() => client.close(), files.cleanup);
    await client.ready();
    return { client, files };
  }

  const acme = { company: { domain: 'acme.test' } };

  it('a tracked event that uses an allowance up turns the flag off for the next snapshot', async () => {
    const { client } = await start();
    expect((await client.snapshot(acme)).isEnabled('advanced-reports')).toBe(true);
    await client.track({ event: 'exports', company: acme.company });
    expect((await client.snapshot(acme)).isEnabled('advanced-reports')).toBe(true);
    await client.track({ event: 'exports', company: acme.company });
    expect((await client.snapshot(acme)).isEnabled('advanced-reports')).toBe(false);
  });

  it('an identify that changes a user’s traits, and an edited flags file, are seen by the next snapshot', async () => {
    const { client, files } = await start();
    const bob = { ...acme, user: { email: 'bob@acme.test' } };
    expect((await client.snapshot(bob)).isEnabled('new-editor')).toBe(false);
    await client.identify({ keys: { email: 'bob@acme.test' }, traits: { role: 'owner' } });
    expect((await client.snapshot(bob)).isEnabled('new-editor')).toBe(true);
    const changed = nextEvent(client, 'change');
    files.write({ ...SAMPLE_FLAGS, flags: { ...SAMPLE_FLAGS.flags, 'new-editor': { client: true, rules: [{ when: 'user.role = admin' }] } } });
    await changed;
    expect((await client.snapshot(bob)).isEnabled('new-editor')).toBe(false);
  });

  it('agrees with a fresh evaluation through 400 random changes and reads', async () => {
    const { client } = await start();
    const random = new Random(20261125);
    const pick = <T,>(items: readonly T[]): T => items[random.int(0, items.length - 1)] as T;
    const domains = ['acme.test', 'globex.test', 'initech.test'];
    const emails = ['ada@acme.test', 'bob@acme.test', 'cy@globex.test'];
    const roles = ['admin', 'owner', 'viewer'];
    const keys = ['advanced-reports', 'new-editor', 'internal-tools', 'missing-flag'];
    for (let step = 0; step < 400; step++) {
      const domain = pick(domains);
      const email = pick(emails);
      const roll = random.int(0, 9);
      if (roll === 0) await client.track({ event: 'exports', company: { domain } });
      else if (roll === 1) await client.identify({ keys: { email }, company: { keys: { domain } }, traits: { role: pick(roles) } });
      else if (roll === 2) await client.companies.upsertCompany({ keys: { domain }, traits: { seats: random.int(0, 99) } });
      const context = random.chance(1 / 3) ? { company: { domain } } : { company: { domain }, user: { email } };
      const snapshot = await client.snapshot(context);
      for (const key of keys) expect(snapshot.isEnabled(key), `${step} ${key} ${JSON.stringify(context)}`).toBe(await client.checkFlag(context, key));
    }
  });
});
