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

/**
 * Flags with variations are kept too: the rule a company and user match is theirs alone, but a rollout buckets
 * by an attribute that may come from the request (`user.key` is the context's key, not the stored user's), so a
 * kept variation serves only a request that reads the same text. The reference is a new client on the same file,
 * which has kept nothing. (src/evaluators/schematic/kept-evaluations.test.ts checks the same on random requests.)
 */
describe('remembered variations follow the context they were bucketed by', () => {
  const VARIANT_FLAGS = {
    flags: {
      headline: {
        variations: ['control', 'bold', 'question'],
        default: 'control',
        rollout: { control: 34, bold: 33, question: 33 },
        rules: [{ when: 'user.role = admin', value: 'bold' }],
      },
      layout: {
        variations: ['narrow', 'wide'],
        default: 'narrow',
        rules: [{ when: 'company.seats >= 50', rollout: { narrow: 50, wide: 50 }, by: 'user.team' }],
      },
      'new-editor': { rules: [{ when: 'user.role in [admin, owner]' }] },
    },
    companies: [
      { keys: { domain: 'acme.test' }, id: 'acme', traits: { seats: 12 } },
      { keys: { domain: 'globex.test' }, id: 'globex', traits: { seats: 80 } },
    ],
    users: [
      { keys: { email: 'ada@acme.test' }, traits: { role: 'admin' } },
      { keys: { email: 'bob@acme.test' }, traits: { role: 'viewer', team: 'core' } },
      { keys: { email: 'cy@globex.test', id: 'cy' }, traits: { role: 'viewer' } },
    ],
  };
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function start() {
    const files = tempFlagsFile(VARIANT_FLAGS);
    const client = createFlagsClient({ flagsFile: files.file });
    cleanups.push(() => client.close(), files.cleanup);
    await client.ready();
    return client;
  }

  it('a stored user’s variation is read, not evaluated, on the next snapshot of the same context', async () => {
    const client = await start();
    const bob = { company: { domain: 'acme.test' }, user: { email: 'bob@acme.test' } };
    const first = (await client.snapshot(bob)).variationDetail('headline', 'control');
    const second = (await client.snapshot(bob)).variationDetail('headline', 'control');
    expect(second.variation).toBe(first.variation);
    expect(second.bucket).toBe(first.bucket);
    // The same detail object: what the first snapshot worked out was kept, not worked out again.
    expect(second).toBe(first);
  });

  it('the same stored user under another context key is bucketed by that key', async () => {
    const client = await start();
    // Found by email each time; the rollout reads user.key, which is the context's `key` when it has one.
    const contexts = Array.from({ length: 60 }, (_, i) => ({ company: { domain: 'acme.test' }, user: { key: `visitor-${i}`, email: 'bob@acme.test' } }));
    const buckets = new Set<number | null>();
    const fresh = await Promise.all(contexts.map(async (context) => (await (await start()).snapshot(context)).variationDetail('headline', 'control')));
    for (const i of [...contexts.keys(), ...[...contexts.keys()].reverse()]) {
      const context = contexts[i]!;
      const kept = (await client.snapshot(context)).variationDetail('headline', 'control');
      expect(kept, JSON.stringify(context)).toEqual(fresh[i]);
      buckets.add(kept.bucket);
    }
    expect(buckets.size).toBe(60);
  });
});
