import { describe, expect, it } from 'vitest';
import { parseUser, type Subjects } from '../engine';
import { attributeReader, hasRequestAttributes, withRequestAttributes } from './request-attributes';

const stored = parseUser({
  account_id: 'local',
  environment_id: 'local',
  id: 'ada',
  keys: { email: 'ada@acme.test' },
  traits: [{ trait_definition: { id: 'user.country', comparable_type: 'string', entity_type: 'user' }, value: 'FR' }, { trait_definition: { id: 'user.role', comparable_type: 'string', entity_type: 'user' }, value: 'admin' }],
});
const subjects: Subjects = { company: null, user: stored, options: null };

describe('request-time attributes', () => {
  it('are noticed only when one is given', () => {
    expect(hasRequestAttributes({})).toBe(false);
    expect(hasRequestAttributes({ attributes: { user: {} } })).toBe(false);
    expect(hasRequestAttributes({ attributes: { company: { country: 'DE' } } })).toBe(true);
  });

  it('lay over the stored traits without changing the stored user', () => {
    const merged = withRequestAttributes(subjects, { user: { email: 'ada@acme.test' }, attributes: { user: { country: 'DE', mobile: true } } });
    expect(merged.user?.traits.get('user.country')?.value).toBe('DE');
    expect(merged.user?.traits.get('user.mobile')?.coerced.bool).toBe(true);
    expect(merged.user?.traits.get('user.role')?.value).toBe('admin');
    expect(merged.user?.id).toBe('ada');
    expect(stored.traits.get('user.country')?.value).toBe('FR');
  });

  it('give a visitor the store does not hold a user of their own for this request', () => {
    const merged = withRequestAttributes({ company: null, user: null, options: null }, { user: { key: 'visitor-1' }, attributes: { user: { country: 'DE' } } });
    expect(merged.user?.id).toBe('visitor-1');
    expect(merged.user?.keys).toEqual({ key: 'visitor-1' });
    expect(merged.user?.traits.get('user.country')?.value).toBe('DE');
    expect(merged.company).toBeNull();
  });

  it('leave the subjects as they were when none is given', () => {
    expect(withRequestAttributes(subjects, { user: { email: 'ada@acme.test' } })).toBe(subjects);
  });

  it('are read for rollouts before stored traits, stored keys, context keys and the id, as conditions read them', () => {
    const read = attributeReader({ user: { email: 'ADA@acme.test', team: 'core', role: 'owner' }, attributes: { user: { country: 'DE' } } }, subjects);
    expect(read({ entity: 'user', name: 'key' })).toBe('ADA@acme.test');
    expect(read({ entity: 'user', name: 'country' })).toBe('DE');
    expect(read({ entity: 'user', name: 'team' })).toBe('core');
    expect(read({ entity: 'user', name: 'role' })).toBe('admin');
    expect(read({ entity: 'user', name: 'email' })).toBe('ada@acme.test');
    expect(read({ entity: 'user', name: 'id' })).toBe('ada');
    expect(read({ entity: 'user', name: 'plan' })).toBeUndefined();
    expect(read({ entity: 'company', name: 'key' })).toBeUndefined();
  });
});
