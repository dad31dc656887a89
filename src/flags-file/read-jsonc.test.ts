import { describe, expect, it } from 'vitest';
import { Locator } from './locator';
import { readJsonc } from './read-jsonc';

const read = (text: string) => readJsonc(text, new Locator(text, undefined));

describe('readJsonc', () => {
  it('reads what JSON.parse reads, with comments and trailing commas besides, objects without a prototype', () => {
    const value = { flags: { a: { rules: [{ when: ['x', 'y'] }], n: -1.5e3, on: true, off: null } }, users: [[], {}, [1, [2, { z: 'é' }]]] };
    const result = read(`// a comment\n${JSON.stringify(value, null, 2).replace(/\]\n/, '],\n')}`);
    expect(result.syntaxError).toBeNull();
    expect(JSON.parse(JSON.stringify(result.value))).toEqual(value);
    expect(Object.getPrototypeOf((result.value as { flags: object }).flags)).toBeNull();
  });

  it('names __proto__ and names given twice at their place, with their path through lists', () => {
    const text = '{\n  "users": [{}, { "keys": { "email": "a", "email": "b", "__proto__": {} } }]\n}';
    expect(read(text).nameProblems).toEqual([
      { line: 2, column: 43, path: 'users.1.keys.email', message: '"email" appears twice in this object (first at line 2, column 29)' },
      { line: 2, column: 57, path: 'users.1.keys.__proto__', message: '__proto__ is not allowed as a name' },
    ]);
  });

  it('keeps the first syntax error', () => {
    expect(read('{ "a": tru, "b": }').syntaxError).toMatchObject({ offset: 7 });
  });
});
