import { describe, expect, it } from 'vitest';
import { Random } from '../../test/support/random';
import { Locator } from './locator';
import { readJsonc } from './read-jsonc';
import { readPlainJson } from './plain-json';
import { MAX_NESTING } from './structure';

const full = (text: string) => readJsonc(text, new Locator(text, undefined));
const NAMES = ['a', 'b', 'flags', 'when', 'x y', 'é', '"q"', '//', '/*', 'k: v', 'ends \\', '__proto__'];

/** JSONC text of a random value: comments, trailing commas and white space where JSONC allows them. */
function textOf(random: Random, depth: number, spoil: { duplicates: boolean; proto: boolean }): string {
  const gap = () => random.pick(['', ' ', '\n  ', ' // note, with "quotes" and , commas\n', ' /* a } ] block */ ']);
  const trailing = () => (random.chance(0.2) ? `,${gap()}` : '');
  const roll = random.int(0, depth > 3 ? 4 : 6);
  if (roll === 0) return JSON.stringify(random.pick(['', 'text', 'a // not a comment', 'a /* not */ b', 'quote " and \\ slash', 'é', 'a: b', '":', 'back\\']));
  if (roll === 1) return JSON.stringify(random.pick([0, -1.5, 1e21, 3.25e-7, 42]));
  if (roll === 2) return random.pick(['true', 'false', 'null']);
  if (roll <= 4) {
    const items = random.times(0, 3, () => textOf(random, depth + 1, spoil));
    return `[${gap()}${items.join(`,${gap()}`)}${items.length > 0 ? trailing() : ''}]`;
  }
  const names = random.subset(NAMES.filter((name) => spoil.proto || name !== '__proto__'), 0.3);
  if (spoil.duplicates && names.length > 0 && random.chance(0.3)) names.push(random.pick(names));
  const members = names.map((name) => `${JSON.stringify(name)}${gap()}:${gap()}${textOf(random, depth + 1, spoil)}`);
  return `{${gap()}${members.join(`,${gap()}`)}${members.length > 0 ? trailing() : ''}}`;
}

/** The text with one character removed, doubled or replaced: usually a syntax error, sometimes not. */
function damaged(random: Random, text: string): string {
  const at = random.int(0, Math.max(0, text.length - 1));
  const insert = random.pick(['', text[at] ?? '', ',', ':', '"', '/', '*', '}', ']', 'x']);
  return text.slice(0, at) + insert + text.slice(at + 1);
}

describe('readPlainJson', () => {
  it('reads every well-formed JSONC text as the full reader does', () => {
    const random = new Random(71);
    for (let i = 0; i < 3000; i++) {
      const text = textOf(random, 0, { duplicates: false, proto: false });
      const plain = readPlainJson(text);
      const reference = full(text);
      expect(reference.syntaxError, text).toBeNull();
      expect(plain, text).not.toBeNull();
      expect(plain?.value, text).toStrictEqual(reference.value);
    }
  });

  it('leaves to the full reader every text with a syntax error, a name given twice or __proto__', () => {
    const random = new Random(72);
    let left = 0;
    let read = 0;
    for (let i = 0; i < 6000; i++) {
      const text = textOf(random, 0, { duplicates: true, proto: true });
      const candidate = random.chance(0.5) ? damaged(random, text) : text;
      const reference = full(candidate);
      const plain = readPlainJson(candidate);
      if (reference.syntaxError !== null || reference.nameProblems.length > 0) {
        expect(plain, candidate).toBeNull();
        left++;
      } else if (plain !== null) {
        expect(plain.value, candidate).toStrictEqual(reference.value);
        read++;
      }
    }
    // Both kinds were met, so neither branch above went untested.
    expect(left).toBeGreaterThan(1000);
    expect(read).toBeGreaterThan(1000);
  });

  it('leaves nesting deeper than the full reader allows to it, which places the problem', () => {
    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect(readPlainJson(nested(MAX_NESTING))).not.toBeNull();
    expect(readPlainJson(nested(MAX_NESTING + 1))).toBeNull();
    expect(full(nested(MAX_NESTING + 1)).syntaxError).toBeNull();
  });

  it('counts the names of plain JSON without a scan: colons, quotes and backslashes inside strings are not names', () => {
    const value = { 'a:b': 'c:d', 'e\\': '"f": 1', g: [{ h: 'i\\"j:' }], 'k"l': ':' };
    const text = JSON.stringify(value);
    expect(readPlainJson(text)?.value).toStrictEqual(full(text).value);
    for (const twice of ['{"a:b":1,"a:b":2}', '{"x":"y:z","x":1}', '{"e\\\\":1,"e\\\\":2}', '[{"a":{"b":1,"b":2}}]']) {
      expect(full(twice).nameProblems.length, twice).toBeGreaterThan(0);
      expect(readPlainJson(twice), twice).toBeNull();
    }
  });

  it('gives objects without a prototype', () => {
    const plain = readPlainJson('{ "flags": { "constructor": {} } }');
    expect(Object.getPrototypeOf((plain?.value as { flags: object }).flags)).toBeNull();
  });
});
