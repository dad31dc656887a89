import { describe, expect, it } from 'vitest';
import type { EvaluationContext } from '../../core/types';
import { featBitUserFor, featBitUserOf } from './context-user';
import { parseFeatBitUser } from './parse-user';

describe('featBitUserOf: a context as a FeatBit user', () => {
  it('takes the user key, the name, and every key and attribute as custom properties (company ones prefixed)', () => {
    expect(
      featBitUserOf({
        user: { email: 'ada@acme.test', id: 'ada' },
        company: { domain: 'acme.test' },
        attributes: { user: { name: 'Ada', country: 'DE', beta: true }, company: { plan: 'pro', seats: 12 } },
      }),
    ).toEqual({
      keyId: 'ada',
      name: 'Ada',
      customizedProperties: [
        { name: 'email', value: 'ada@acme.test' },
        { name: 'id', value: 'ada' },
        { name: 'country', value: 'DE' },
        { name: 'beta', value: 'true' },
        { name: 'company.domain', value: 'acme.test' },
        { name: 'company.plan', value: 'pro' },
        { name: 'company.seats', value: '12' },
      ],
    });
  });

  it('lets attributes win over keys of the same name', () => {
    expect(featBitUserOf({ user: { key: 'u', tier: 'free' }, attributes: { user: { tier: 'gold' } } })?.customizedProperties).toEqual([
      { name: 'key', value: 'u' },
      { name: 'tier', value: 'gold' },
    ]);
  });

  it('evaluates a company-only context as its company, and has no user without any key', () => {
    expect(featBitUserOf({ company: { domain: 'acme.test' } })?.keyId).toBe('acme.test');
    expect(featBitUserOf({})).toBeNull();
    expect(featBitUserOf({ user: { key: '  ' } })).toBeNull();
    expect(featBitUserOf(undefined)).toBeNull();
  });

  it('parses for evaluation to the user its wire form parses to, made without it', () => {
    const contexts: (EvaluationContext | undefined)[] = [
      { user: { email: 'ada@acme.test', id: 'ada' }, company: { domain: 'acme.test' }, attributes: { user: { name: 'Ada', country: 'DE', beta: true }, company: { plan: 'pro', seats: 12 } } },
      { user: { key: 'u', tier: 'free', name: 'key-name' }, attributes: { user: { tier: 'gold', score: 1.5, skipped: null as unknown as string } } },
      { company: { domain: 'acme.test' }, attributes: { company: { name: 'Acme' } } },
      { user: { key: 'Zoë', '': 'empty name', constructor: 'c' } },
      { user: { key: '  ' } },
      {},
      undefined,
    ];
    for (const context of contexts) {
      const wire = featBitUserOf(context);
      const parsed = featBitUserFor(context);
      if (wire === null) expect(parsed).toBeNull();
      else expect(parsed).toEqual(parseFeatBitUser(wire));
    }
  });
});
