import { describe, expect, it } from 'vitest';
import type { WireCompany } from '../../src/evaluators/schematic/engine';
import type { StoredCompany } from '../../src/store/entity-store';
import { MemoryStore } from '../../src/store/memory-store';
import { DEFAULT_NEAR_CACHE_TTL_MS, NearCachedStore } from '../../src/store/near-cache';
import { company } from '../support/builders';

/** The shared store behind the near cache: a memory store that counts reads and can hold reads (answered late) or writes (applied late). */
class SharedStore extends MemoryStore {
  reads = 0;
  private held: { what: 'reads' | 'writes'; waiting: (() => void)[] } | null = null;

  constructor() {
    super({ maxEntities: 1000 });
  }

  hold(what: 'reads' | 'writes' = 'reads'): void {
    this.held = { what, waiting: [] };
  }

  release(): void {
    const waiting = this.held?.waiting ?? [];
    this.held = null;
    for (const go of waiting) go();
  }

  override async getCompany(keys: Readonly<Record<string, string>>): Promise<StoredCompany | null> {
    this.reads++;
    const found = await super.getCompany(keys);
    await this.wait('reads');
    return found;
  }

  override async putCompany(wire: WireCompany): Promise<StoredCompany> {
    await this.wait('writes');
    return super.putCompany(wire);
  }

  private async wait(what: 'reads' | 'writes'): Promise<void> {
    const held = this.held;
    if (held?.what === what) await new Promise<void>((resolve) => held.waiting.push(resolve));
  }
}

function setUp({ maxEntities = 100, trusted = true } = {}) {
  const shared = new SharedStore();
  let now = 1000;
  let version = 'v1';
  const near = new NearCachedStore(shared, { maxEntities, now: () => now, version: () => version });
  if (trusted) near.setTrusted(true);
  return {
    shared,
    near,
    advance: (ms: number) => (now += ms),
    setVersion: (v: string) => (version = v),
  };
}

const acme = (plan: string, keys: Record<string, string> = { domain: 'acme.test' }): WireCompany => company({ id: 'comp_acme', keys, plan_ids: [plan] });
const planOf = (stored: StoredCompany | null | undefined) => (stored === null || stored === undefined ? stored : stored.wire.plan_ids?.[0]);

describe('near cache in front of a shared store', () => {
  it('answers a repeated lookup from memory, synchronously too, without asking the shared store again', async () => {
    const { shared, near } = setUp();
    await shared.putCompany(acme('plan_pro'));
    expect(near.peekCompany({ domain: 'acme.test' })).toBeNull();
    expect(planOf(await near.getCompany({ domain: 'acme.test' }))).toBe('plan_pro');
    expect(planOf(await near.getCompany({ domain: 'ACME.test' }))).toBe('plan_pro');
    expect(planOf(near.peekCompany({ domain: 'acme.test' }))).toBe('plan_pro');
    expect(shared.reads).toBe(1);
  });

  it('remembers that the shared store had nothing (known absent), but peek still says "ask"', async () => {
    const { shared, near } = setUp();
    expect(await near.getCompany({ domain: 'nobody.test' })).toBeNull();
    expect(await near.getCompany({ domain: 'nobody.test' })).toBeNull();
    expect(shared.reads).toBe(1);
    expect(near.cached('company', { domain: 'nobody.test' })).toBeNull();
    expect(near.cached('company', { domain: 'other.test' })).toBeUndefined();
    expect(near.peekCompany({ domain: 'nobody.test' })).toBeNull();
  });

  it('serves nothing before it is trusted, and forgets everything whenever trust changes (notices may have been missed)', async () => {
    const { shared, near } = setUp({ trusted: false });
    await shared.putCompany(acme('plan_free'));
    await near.getCompany({ domain: 'acme.test' });
    await near.getCompany({ domain: 'acme.test' });
    expect(shared.reads).toBe(2);
    near.setTrusted(true);
    expect(planOf(await near.getCompany({ domain: 'acme.test' }))).toBe('plan_free');
    // The subscriber drops; a change is published meanwhile, unheard.
    near.setTrusted(false);
    await shared.putCompany(acme('plan_pro'));
    expect(planOf(await near.getCompany({ domain: 'acme.test' }))).toBe('plan_pro');
    expect(near.cached('company', { domain: 'acme.test' })).toBeUndefined();
    // Subscribed again: what was cached before is gone.
    near.setTrusted(true);
    expect(near.cached('company', { domain: 'acme.test' })).toBeUndefined();
    expect(planOf(await near.getCompany({ domain: 'acme.test' }))).toBe('plan_pro');
  });

  it('reads an entry again once it is older than the TTL: the staleness bound when a notice is missed', async () => {
    const { shared, near, advance } = setUp();
    await shared.putCompany(acme('plan_free'));
    await near.getCompany({ domain: 'acme.test' });
    await shared.putCompany(acme('plan_pro')); // no notice
    advance(DEFAULT_NEAR_CACHE_TTL_MS);
    expect(planOf(await near.getCompany({ domain: 'acme.test' }))).toBe('plan_pro');
    expect(planOf(near.peekCompany({ domain: 'acme.test' }))).toBe('plan_pro');
  });

  it('drops, on a change notice, lookups that found that id and lookups by any of its keys (absent ones too)', async () => {
    const { shared, near } = setUp();
    await shared.putCompany(acme('plan_free', { domain: 'acme.test', crm: 'A-1' }));
    await near.getCompany({ crm: 'A-1' });
    await near.getCompany({ domain: 'new.acme.test' });
    await shared.putCompany(acme('plan_pro', { domain: 'new.acme.test' }));
    near.drop({ type: 'company', id: 'comp_acme', keys: { domain: 'new.acme.test' } });
    expect(near.cached('company', { crm: 'A-1' })).toBeUndefined();
    expect(near.cached('company', { domain: 'new.acme.test' })).toBeUndefined();
    expect(await near.getCompany({ crm: 'A-1' })).toBeNull();
    expect(planOf(await near.getCompany({ domain: 'new.acme.test' }))).toBe('plan_pro');
  });

  it('leaves lookups of other entities alone on a notice, and ignores flag notices', async () => {
    const { shared, near } = setUp();
    await shared.putCompany(acme('plan_free'));
    await shared.putCompany(company({ id: 'comp_globex', keys: { domain: 'globex.test' } }));
    await near.getCompany({ domain: 'acme.test' });
    await near.getCompany({ domain: 'globex.test' });
    near.drop({ type: 'company', id: 'comp_globex', keys: { domain: 'globex.test' } });
    near.drop({ type: 'flags', keys: ['pro'] });
    near.drop({ type: 'user', id: 'comp_acme', keys: { domain: 'acme.test' } });
    expect(planOf(near.cached('company', { domain: 'acme.test' }))).toBe('plan_free');
    expect(near.cached('company', { domain: 'globex.test' })).toBeUndefined();
  });

  it('does not keep a read that was in flight when a notice arrived', async () => {
    const { shared, near } = setUp();
    await shared.putCompany(acme('plan_free'));
    shared.hold();
    const reading = near.getCompany({ domain: 'acme.test' });
    await new Promise((r) => setTimeout(r, 0));
    await shared.putCompany(acme('plan_pro'));
    near.drop({ type: 'company', id: 'comp_acme', keys: { domain: 'acme.test' } });
    shared.release();
    expect(planOf(await reading)).toBe('plan_free'); // the old answer, once, but not remembered
    expect(near.cached('company', { domain: 'acme.test' })).toBeUndefined();
    expect(planOf(await near.getCompany({ domain: 'acme.test' }))).toBe('plan_pro');
  });

  it('does not keep a read that was in flight when trust was lost', async () => {
    const { shared, near } = setUp();
    await shared.putCompany(acme('plan_free'));
    shared.hold();
    const reading = near.getCompany({ domain: 'acme.test' });
    await new Promise((r) => setTimeout(r, 0));
    near.setTrusted(false);
    near.setTrusted(true);
    shared.release();
    await reading;
    expect(near.cached('company', { domain: 'acme.test' })).toBeUndefined();
  });

  it('a write through it drops what it replaces, and reads racing the write are not kept', async () => {
    const { shared, near } = setUp();
    await shared.putCompany(acme('plan_free'));
    await near.getCompany({ domain: 'acme.test' });
    shared.hold('reads');
    const readBefore = near.getCompany({ domain: 'acme.test' });
    await near.putCompany(acme('plan_pro'));
    shared.release();
    await readBefore;
    expect(near.cached('company', { domain: 'acme.test' })).toBeUndefined();

    shared.hold('writes');
    const writing = near.putCompany(acme('plan_free'));
    expect(planOf(await near.getCompany({ domain: 'acme.test' }))).toBe('plan_pro'); // read while the write is under way
    shared.release();
    await writing;
    expect(near.cached('company', { domain: 'acme.test' })).toBeUndefined();
    expect(planOf(await near.getCompany({ domain: 'acme.test' }))).toBe('plan_free');
    await near.deleteCompany('comp_acme');
    expect(await near.getCompany({ domain: 'acme.test' })).toBeNull();
  });

  it('reads by id from the shared store always (partial updates must merge into the latest)', async () => {
    const { shared, near } = setUp();
    await shared.putCompany(acme('plan_free'));
    await near.getCompanyById('comp_acme');
    await shared.putCompany(acme('plan_pro'));
    expect((await near.getCompanyById('comp_acme'))?.wire.plan_ids).toEqual(['plan_pro']);
  });

  it('is bounded: at most maxEntities lookups per kind, the least recently used go first', async () => {
    const { shared, near } = setUp({ maxEntities: 2 });
    for (const name of ['a', 'b', 'c']) await shared.putCompany(company({ id: `comp_${name}`, keys: { domain: `${name}.test` } }));
    await near.getCompany({ domain: 'a.test' });
    await near.getCompany({ domain: 'b.test' });
    await near.getCompany({ domain: 'a.test' }); // a is now the most recent
    await near.getCompany({ domain: 'c.test' });
    expect(near.cached('company', { domain: 'b.test' })).toBeUndefined();
    expect(near.cached('company', { domain: 'a.test' })?.wire.id).toBe('comp_a');
    expect(near.cached('company', { domain: 'c.test' })?.wire.id).toBe('comp_c');
  });

  it('forgets everything when the key version changes (a new replicator cache version)', async () => {
    const { shared, near, setVersion } = setUp();
    await shared.putCompany(acme('plan_free'));
    await near.getCompany({ domain: 'acme.test' });
    setVersion('v2');
    expect(near.cached('company', { domain: 'acme.test' })).toBeUndefined();
    expect(near.peekCompany({ domain: 'acme.test' })).toBeNull();
  });

  it('passes lookups without string keys through, untouched', async () => {
    const { shared, near } = setUp();
    expect(await near.getCompany({ id: 42 } as never)).toBeNull();
    expect(await near.getCompany({ id: 42 } as never)).toBeNull();
    expect(shared.reads).toBe(2);
  });
});
