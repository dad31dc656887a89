import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHeadlineAgree, checkOnOffAgree } from '../../bench/peers/agreement';
import { type PeerClients, peerClients } from '../../bench/peers/clients';
import { FLAGWIRE_FLAGS, storedUsers } from '../../bench/peers/fixtures';

// The peers bench's own checks: its flags, written for flagwire, GrowthBook and FeatBit, must stay the same
// logic, or its ratios compare different work; and the checks must notice when they are not. The bench imports
// 'flagwire/server', which vitest resolves through the package's exports: the built package, as the bench runs it.
const users = storedUsers(300);
let clients: PeerClients;
beforeAll(async () => {
  if (!existsSync(new URL('../../dist/server.js', import.meta.url))) throw new Error('test/bench/peers.test.ts runs on the built package: npm run build first');
  clients = await peerClients(users);
});
afterAll(() => clients?.close());

async function withFlags<T>(flags: object, check: (clients: PeerClients) => Promise<T>): Promise<T> {
  const other = await peerClients(users, flags);
  try {
    return await check(other);
  } finally {
    await other.close();
  }
}

describe('the peers bench fixture', () => {
  it('gets the same on/off answers from flagwire, GrowthBook and FeatBit for every user, with and without a request-time country', async () => {
    await expect(checkOnOffAgree(clients, users)).resolves.toBe(300 * 2 * 4);
  });

  it('serves "headline" bold in DE from each SDK, splits visitors close to 34/33/33, and FeatBit buckets every visitor as flagwire does', async () => {
    const shares = await checkHeadlineAgree(clients, 20_000);
    for (const counts of [shares.flagwire, shares.growthBook]) expect(Object.values(counts).reduce((sum, n) => sum + n, 0)).toBe(20_000);
    expect(shares.featBitDisagreements).toBe(0);
  });

  it('notices an on/off flag that flagwire answers otherwise', async () => {
    const flags = { ...FLAGWIRE_FLAGS, 'admin-tools': { rules: [{ when: 'user.role = owner' }] } };
    await expect(withFlags(flags, (other) => checkOnOffAgree(other, users))).rejects.toThrow(/disagree on admin-tools/);
  });

  it('notices a request-time attribute that flagwire reads otherwise', async () => {
    const flags = { ...FLAGWIRE_FLAGS, 'eu-banner': { rules: [{ when: 'user.country in [DE, FR, ES]' }] } };
    await expect(withFlags(flags, (other) => checkOnOffAgree(other, users))).rejects.toThrow(/disagree on eu-banner/);
  });

  it('notices a "headline" that serves another variation in DE', async () => {
    const flags = { ...FLAGWIRE_FLAGS, headline: { ...FLAGWIRE_FLAGS.headline, rules: [{ when: 'user.country = DE', value: 'question' }] } };
    await expect(withFlags(flags, (other) => checkHeadlineAgree(other, 200))).rejects.toThrow(/headline for visitor-\d+ \(DE\)/);
  });

  it('notices a "headline" that buckets visitors otherwise than FeatBit, which buckets as flagwire does', async () => {
    const flags = { ...FLAGWIRE_FLAGS, headline: { ...FLAGWIRE_FLAGS.headline, rollout: { control: 40, bold: 30, question: 30 } } };
    await expect(withFlags(flags, (other) => checkHeadlineAgree(other, 2000))).rejects.toThrow(/FeatBit's SDK served \d+ headline answers other than flagwire's/);
  });
});
