import { afterEach, describe, expect, it } from 'vitest';
import { createFlagsClient, type FlagsClient } from '../../src/server/index';
import { recordingLogger, tempFlagsFile } from '../support/flags-files';
import { Random } from '../support/random';

/**
 * Usage counted in-process must count every tracked event exactly once, whatever runs beside the track()
 * calls: other track()s not awaited, upserts and identify on the same company, and reloads of the flags file
 * that change the company itself.
 */

const COMPANIES = 50;
const domain = (i: number) => `co${i}.test`;
// A limit nobody reaches: the flag only makes each company's usage readable through a check.
const usageFlags = {
  'api-access': { rules: [{ name: 'Metered', type: 'entitlement', when: 'company.usage.calls < 100000000' }] },
};

function fileWith(tierOfFirst: string) {
  return {
    flags: usageFlags,
    // The first ten companies are declared by the file, with usage of their own; the rest come from track().
    companies: Array.from({ length: 10 }, (_, i) => ({
      keys: { domain: domain(i) },
      id: `co${i}`,
      plan: 'pro',
      traits: { seats: 5, tier: i === 0 ? tierOfFirst : 'basic' },
      usage: { calls: 1000 },
    })),
  };
}

/** Company `i`'s traits, read through an upsert that changes nothing. */
async function traitsOf(client: FlagsClient, i: number) {
  return (await client.companies.upsertCompany({ keys: { domain: domain(i) } })).data.traits;
}

async function usageOf(client: FlagsClient, i: number): Promise<number | null> {
  return (await client.checkFlagWithEntitlement({ company: { domain: domain(i) } }, 'api-access')).featureUsage;
}

describe('track() counts every event exactly once', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function start() {
    const files = tempFlagsFile(fileWith('basic'));
    const client = createFlagsClient({ flagsFile: files.file, logger: recordingLogger().logger });
    cleanups.push(files.cleanup, () => client.close());
    return { client, files };
  }

  it('ten track() calls not awaited count ten', async () => {
    const { client } = start();
    await client.ready();
    await Promise.all(Array.from({ length: 10 }, () => client.track({ event: 'calls', company: { domain: domain(0) } })));
    expect(await usageOf(client, 0)).toBe(1010);
  });

  it('a track() followed at once by an upsert or an identify of the same company is kept', async () => {
    const { client } = start();
    await client.ready();
    const company = { domain: domain(1) };
    const pending = [
      client.track({ event: 'calls', company }),
      client.companies.upsertCompany({ keys: company, traits: { seats: 9 } }),
      client.track({ event: 'calls', company, quantity: 2 }),
      client.identify({ keys: { email: 'ada@co1.test' }, company: { keys: company, traits: { region: 'eu' } } }),
    ];
    await Promise.all(pending);
    expect(await usageOf(client, 1)).toBe(1003);
  });

  it('10,000 concurrent tracks across 50 companies, among upserts, identifies and a reload that changes a company, all count', async () => {
    const { client, files } = start();
    await client.ready();
    const random = new Random(21);
    const expected: number[] = Array.from({ length: COMPANIES }, (_, i) => (i < 10 ? 1000 : 0));
    const pending: Promise<unknown>[] = [];
    let tracked = 0;
    const burst = (tracks: number) => {
      for (let n = 0; n < tracks; n++) {
        const i = random.int(0, COMPANIES - 1);
        const quantity = random.int(1, 3);
        expected[i] = (expected[i] ?? 0) + quantity;
        pending.push(client.track({ event: 'calls', company: { domain: domain(i) }, quantity }));
        tracked++;
        if (random.chance(0.02)) pending.push(client.companies.upsertCompany({ keys: { domain: domain(i) }, traits: { seats: random.int(1, 99) } }));
        if (random.chance(0.02)) pending.push(client.identify({ keys: { email: `u${n}@${domain(i)}` }, company: { keys: { domain: domain(i) }, name: `Co ${i}` } }));
      }
    };
    // Half before the reload; the rest while it is being read and applied, then after.
    burst(5000);
    files.write(fileWith('gold')); // changes company 0: the file's copy must not replace what was tracked
    const deadline = Date.now() + 10_000;
    while ((await traitsOf(client, 0)).tier !== 'gold') {
      if (Date.now() > deadline) throw new Error('the reload was not applied within 10 s');
      burst(50);
      await new Promise((resolve) => setImmediate(resolve));
    }
    burst(10_000 - tracked);
    await Promise.all(pending);
    expect(tracked).toBe(10_000);
    for (let i = 0; i < COMPANIES; i++) expect({ company: i, usage: await usageOf(client, i) }).toEqual({ company: i, usage: expected[i] });
  });

  it('a reload that changes a declared count moves the total by the same amount, keeping what was tracked', async () => {
    const { client, files } = start();
    await client.ready();
    await client.track({ event: 'calls', company: { domain: domain(2) }, quantity: 7 });
    const next = fileWith('basic');
    (next.companies[2] as { usage: { calls: number } }).usage.calls = 1500;
    files.write(next);
    const deadline = Date.now() + 10_000;
    while ((await usageOf(client, 2)) === 1007 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await usageOf(client, 2)).toBe(1507);
  });
});
