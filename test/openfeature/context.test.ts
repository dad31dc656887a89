import { describe, expect, it } from 'vitest';
import { flagwireContextOf } from '../../src/openfeature/context';

describe('flagwireContextOf: an OpenFeature evaluation context as a flagwire context', () => {
  it('maps the targeting key to the user key', () => {
    expect(flagwireContextOf({ targetingKey: 'user-1' })).toEqual({ user: { key: 'user-1' } });
  });

  it('reads `user` and `company` objects as the keys that find stored entities', () => {
    expect(flagwireContextOf({ targetingKey: 'user-1', user: { email: 'ada@example.com' }, company: { id: 'acme', domain: 'acme.io' } })).toEqual({
      user: { key: 'user-1', email: 'ada@example.com' },
      company: { id: 'acme', domain: 'acme.io' },
    });
  });

  it('lets an explicit user key win over the targeting key', () => {
    expect(flagwireContextOf({ targetingKey: 'from-targeting', user: { key: 'explicit' } }).user).toEqual({ key: 'explicit' });
  });

  it('keeps numeric keys as text and drops keys of other types', () => {
    expect(flagwireContextOf({ company: { id: 42, nested: { a: 'b' }, flag: true, empty: null } })).toEqual({ company: { id: '42' } });
  });

  it('makes every other scalar attribute a request-time attribute of the user', () => {
    expect(flagwireContextOf({ targetingKey: 'u', country: 'DE', age: 37, beta: true })).toEqual({
      user: { key: 'u' },
      attributes: { user: { country: 'DE', age: 37, beta: true } },
    });
  });

  it('routes `company.<name>` and `user.<name>` attributes to that entity', () => {
    expect(flagwireContextOf({ 'company.plan': 'pro', 'user.role': 'admin', region: 'eu' })).toEqual({
      attributes: { company: { plan: 'pro' }, user: { role: 'admin', region: 'eu' } },
    });
  });

  it('writes dates as RFC 3339 text, which date conditions compare', () => {
    expect(flagwireContextOf({ 'company.trial_ends': new Date('2026-12-01T00:00:00Z') })).toEqual({
      attributes: { company: { trial_ends: '2026-12-01T00:00:00.000Z' } },
    });
  });

  it('ignores structures, lists, null and non-finite numbers, which no condition compares', () => {
    expect(flagwireContextOf({ tags: ['a'], meta: { a: 1 }, nothing: null, ratio: Number.NaN })).toEqual({});
  });

  it('gives an empty context for an empty one, and ignores an empty targeting key', () => {
    expect(flagwireContextOf({})).toEqual({});
    expect(flagwireContextOf({ targetingKey: '' })).toEqual({});
  });

  it('does not read inherited properties', () => {
    const context = Object.create({ inherited: 'x' }) as Record<string, string>;
    context.own = 'y';
    expect(flagwireContextOf(context)).toEqual({ attributes: { user: { own: 'y' } } });
  });
});
