import { describe, expect, it } from 'vitest';
import { htmlSafeJson } from './html-safe-json';

describe('htmlSafeJson', () => {
  const hostile = { flags: { '</script><script>alert(1)</script>': { value: true } }, note: '<!-- & -->', lines: 'a\u2028b\u2029c' };

  it('leaves nothing that could end the script element, open a comment or break a line', () => {
    const text = htmlSafeJson(hostile);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(text).toContain('\\u003c/script\\u003e');
  });

  it('is the same value read back as JSON and as JavaScript', () => {
    const text = htmlSafeJson(hostile);
    expect(JSON.parse(text)).toEqual(hostile);
    expect(new Function(`return ${text};`)()).toEqual(hostile);
  });

  it('refuses a value with no JSON form instead of writing "undefined" into the page', () => {
    expect(() => htmlSafeJson(undefined)).toThrow(/no JSON form/);
  });
});
