import { describe, expect, it } from 'vitest';
import type { WireUser } from '../evaluators/schematic/engine';
import { MemoryStore } from './memory-store';

function user(id: string, keys: Record<string, string>, extra: Partial<WireUser> = {}): WireUser {
  const traits = [{ trait_definition: { id: 'user.role', comparable_type: 'string' as const, entity_type: 'user' as const }, value: 'admin' }];
  return { id, account_id: 'a', environment_id: 'e', keys, traits, ...extra } as WireUser;
}

describe('MemoryStore users', () => {
  it('finds a user by a key that repeats its id, whatever the case of the key name and value', () => {
    const store = new MemoryStore({ maxEntities: 10 });
    store.putUserNow(user('user-1', { id: 'user-1', email: 'Ada@Example.test' }));
    expect(store.peekUser({ id: 'user-1' })?.parsed.id).toBe('user-1');
    expect(store.peekUser({ ID: 'USER-1' })?.parsed.id).toBe('user-1');
    expect(store.peekUser({ email: 'ada@example.test' })?.parsed.id).toBe('user-1');
    // The id alone is not a key: a lookup must name a key the user has.
    expect(store.peekUser({ slug: 'user-1' })).toBeNull();
  });

  it('answers the last user stored under a key, whether or not the key repeats that user’s id', () => {
    const store = new MemoryStore({ maxEntities: 10 });
    store.putUserNow(user('u-2', { id: 'shared' }));
    store.putUserNow(user('shared', { id: 'shared' }));
    expect(store.peekUser({ id: 'shared' })?.parsed.id).toBe('shared');
    store.putUserNow(user('u-3', { id: 'shared' }));
    expect(store.peekUser({ id: 'shared' })?.parsed.id).toBe('u-3');
  });

  it('forgets a key the user no longer has, and a deleted user', () => {
    const store = new MemoryStore({ maxEntities: 10 });
    store.putUserNow(user('user-1', { id: 'user-1' }));
    store.putUserNow(user('user-1', { id: 'renamed' }));
    expect(store.peekUser({ id: 'user-1' })).toBeNull();
    expect(store.peekUser({ id: 'renamed' })?.parsed.id).toBe('user-1');
    store.deleteUserNow('user-1');
    expect(store.peekUser({ id: 'renamed' })).toBeNull();
  });

  it('gives back what a user said beyond its parsed form (a name, its own rules) in its wire form', () => {
    const store = new MemoryStore({ maxEntities: 10 });
    const stored = store.putUserNow(user('user-1', { id: 'user-1' }, { name: 'Ada' } as Partial<WireUser>));
    expect(stored.wire).toMatchObject({ id: 'user-1', name: 'Ada', keys: { id: 'user-1' } });
    expect(store.putUserNow(user('user-2', { id: 'user-2' })).wire).not.toHaveProperty('name');
    // The parsed form reads as a plain parsed user: nothing of the store's among its own keys.
    expect(Object.keys(stored.parsed).sort()).toEqual(['accountId', 'environmentId', 'id', 'keys', 'rulesByFlagId', 'traits']);
  });

  it('drops the least recently used user past its capacity, with its keys', () => {
    const store = new MemoryStore({ maxEntities: 4 });
    for (let i = 0; i < 4; i++) store.putUserNow(user(`user-${i}`, { id: `user-${i}`, email: `u${i}@x.test` }));
    expect(store.peekUser({ email: 'u0@x.test' })?.parsed.id).toBe('user-0');
    store.putUserNow(user('user-4', { id: 'user-4' }));
    expect(store.peekUser({ id: 'user-1' })).toBeNull();
    expect(store.peekUser({ id: 'user-0' })?.parsed.id).toBe('user-0');
  });
});
