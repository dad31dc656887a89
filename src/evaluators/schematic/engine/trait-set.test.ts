import { describe, expect, it } from 'vitest';
import { parseUser } from './parse-subjects';

const definition = (name: string) => ({ id: `user.${name}`, comparable_type: 'string' as const, entity_type: 'user' as const });

describe('TraitSet', () => {
  it('reads every trait of a subject with more traits than it holds in place, and lays attributes over them', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const user = parseUser({
      id: 'u',
      account_id: 'acc',
      environment_id: 'env',
      keys: { id: 'u' },
      traits: names.map((name, i) => ({ trait_definition: definition(name), value: `${name}${i}` })),
    });
    for (const [i, name] of names.entries()) expect(user.traits.coerced(`user.${name}`)?.text).toBe(`${name}${i}`);
    expect(user.traits.all().map((trait) => trait.value)).toEqual(names.map((name, i) => `${name}${i}`));
    const laid = user.traits.with([
      ['user.f', 'over'],
      ['user.h', 'new'],
    ]);
    expect(laid.coerced('user.f')?.text).toBe('over');
    expect(laid.definition('user.f')).toBeNull();
    expect(laid.coerced('user.h')?.text).toBe('new');
    expect(laid.coerced('user.g')?.text).toBe('g6');
    expect(user.traits.coerced('user.f')?.text).toBe('f5');
    expect(user.traits.has('user.h')).toBe(false);
  });
});
