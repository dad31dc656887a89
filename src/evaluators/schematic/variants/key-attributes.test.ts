import { describe, expect, it } from 'vitest';
import { parseUser, type Subjects } from '../engine';
import { KeyAttributes } from './key-attributes';

const SCOPE = { account_id: 'local', environment_id: 'local' };
const ada = parseUser({ ...SCOPE, id: 'ada', keys: { email: 'ada@acme.test' }, traits: [] });
const grace = parseUser({
  ...SCOPE,
  id: 'grace',
  keys: { email: 'grace@acme.test' },
  traits: [{ trait_definition: { id: 'user.email', comparable_type: 'string', entity_type: 'user' }, value: 'grace@globex.test' }],
});
const of = (user: Subjects['user']): Subjects => ({ company: null, user, options: null });

describe('KeyAttributes', () => {
  const keys = KeyAttributes.of(['user.email', 'user.role', 'company.domain']);

  it('lays a stored entity’s keys under its traits, once per entity, so results stay memoizable', () => {
    const first = keys.stored(of(ada));
    expect(first.user?.traits.get('user.email')?.value).toBe('ada@acme.test');
    expect(keys.stored(of(ada)).user).toBe(first.user);
    expect(ada.traits.has('user.email')).toBe(false);
  });

  it('keeps a stored trait over a key of the same name, and changes nothing then', () => {
    const subjects = of(grace);
    expect(keys.stored(subjects)).toBe(subjects);
    expect(keys.withContextKeys(subjects, { user: { email: 'someone@else.test' } })).toBe(subjects);
  });

  it('lets the context’s keys speak only for names nothing stored gives', () => {
    const visitor = keys.withContextKeys(of(null), { user: { key: 'visitor-1', email: 'eve@acme.test' }, company: { domain: 'acme.test' } });
    expect(visitor.user).toMatchObject({ id: 'visitor-1', keys: { key: 'visitor-1', email: 'eve@acme.test' } });
    expect(visitor.user?.traits.get('user.email')?.value).toBe('eve@acme.test');
    expect(visitor.company?.traits.get('company.domain')?.value).toBe('acme.test');
    const stored = keys.stored(of(ada));
    expect(keys.withContextKeys(stored, { user: { email: 'ADA@ACME.TEST' } })).toBe(stored);
    expect(keys.withContextKeys(stored, { user: { email: 'ada@acme.test', role: 'admin' } }).user?.traits.get('user.role')?.value).toBe('admin');
  });

  it('does nothing where conditions read no trait', () => {
    const subjects = of(ada);
    expect(KeyAttributes.of([]).stored(subjects)).toBe(subjects);
    expect(KeyAttributes.of(['user.plan']).withContextKeys(subjects, { user: { email: 'x' } })).toBe(subjects);
  });
});
