import { describe, expect, it } from 'vitest';
import { contextKey } from './context-key';

describe('contextKey', () => {
  it('prefers key, then id, then the first key given', () => {
    expect(contextKey({ email: 'a@x', id: 'u1', key: 'k1' })).toBe('k1');
    expect(contextKey({ email: 'a@x', id: 'u1' })).toBe('u1');
    expect(contextKey({ email: 'a@x', domain: 'x' })).toBe('a@x');
  });

  it('is undefined without keys, and never reads inherited names', () => {
    expect(contextKey(undefined)).toBeUndefined();
    expect(contextKey({})).toBeUndefined();
    const inherited = Object.create({ key: 'from-prototype' }) as Record<string, string>;
    expect(contextKey(inherited)).toBeUndefined();
  });
});
