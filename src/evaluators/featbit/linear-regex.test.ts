import { describe, expect, it } from 'vitest';
import { evaluateFeatBitFlag } from './evaluate-featbit-flag';
import { compileLinearSearch } from './linear-regex';
import type { FeatBitFlag } from './wire-types';

function search(pattern: string): (text: string) => boolean {
  const compiled = compileLinearSearch(pattern);
  if ('problem' in compiled) throw new Error(compiled.problem);
  return compiled.search;
}

/** Patterns on which a backtracking engine takes time exponential (or high-degree polynomial) in the value's length. */
const HOSTILE: readonly [pattern: string, value: string][] = [
  ['^(a+)+$', `${'a'.repeat(20_000)}!`],
  ['(a|a)*b', 'a'.repeat(20_000)],
  ['^(a*)*$', `${'a'.repeat(20_000)}!`],
  ['^(\\w+\\s?)*$', `${'word '.repeat(4_000)}!`],
  ['(x+x+)+y', 'x'.repeat(20_000)],
  ['^(([a-z])+.)+[A-Z]([a-z])+$', 'a'.repeat(20_000)],
  ['(.*a){12}b', 'a'.repeat(20_000)],
  ['^(a|aa)+$', `${'a'.repeat(20_000)}b`],
];

describe('FeatBit regex conditions run in linear time', () => {
  it('hostile patterns against hostile values finish (backtracking would take longer than the universe has existed)', () => {
    for (const [pattern, value] of HOSTILE) {
      expect(search(pattern)(value), pattern).toBe(false);
      // The same pattern still finds what it should.
      expect(search(pattern)(value.slice(0, 3)), pattern).toBe(new RegExp(pattern).test(value.slice(0, 3)));
    }
  });

  it('through evaluateFeatBitFlag: MatchRegex and NotMatchRegex on a 28-character attack and a 50,000-character one', () => {
    for (const length of [28, 50_000]) {
      for (const [op, kind] of [['MatchRegex', 'fallthrough'], ['NotMatchRegex', 'rule_match']] as const) {
        const flag: FeatBitFlag = {
          id: 'f',
          key: 'plan-gate',
          variationType: 'boolean',
          variations: [{ id: 'on', value: 'true' }, { id: 'off', value: 'false' }],
          targetUsers: [],
          rules: [{ id: 'r', name: 'Regex', dispatchKey: null, includedInExpt: false, conditions: [{ property: 'plan', op, value: '^(a+)+$' }], variations: [{ id: 'on', rollout: [0, 1], exptRollout: 0 }] }],
          isEnabled: true,
          disabledVariationId: 'off',
          fallthrough: { dispatchKey: null, includedInExpt: false, variations: [{ id: 'off', rollout: [0, 1], exptRollout: 0 }] },
          exptIncludeAllTargets: false,
        };
        const result = evaluateFeatBitFlag(flag, { keyId: 'ada', name: '', customizedProperties: [{ name: 'plan', value: `${'a'.repeat(length)}!` }] });
        expect(result.kind, `${op} ${length}`).toBe(kind);
      }
    }
  });

  // Each is searched as JavaScript's `new RegExp(pattern).test(value)` searches it, FeatBit's semantics.
  const PARITY: readonly [pattern: string, values: readonly string[]][] = [
    ['^us$', ['us', 'US', 'us\n', 'xus']],
    ['example\\.org$', ['ada@example.org', 'ada@exampleXorg', 'example.org.uk']],
    ['^pro', ['pro-trial', 'Pro', 'a pro']],
    ['a.c', ['abc', 'a\nc', 'a\rc', 'a\u2028c', 'a\u2029c', 'a\u0085c']],
    ['\\s', ['a b', 'a\tb', 'a\u00a0b', 'a\u2003b', 'a\ufeffb', 'a\u0085b', 'ab', '\v']],
    ['^\\S+$', ['abc', 'a b', '\u00a0', 'x\u3000']],
    ['[\\s\\d]', ['\u00a0', '7', 'x']],
    ['[^\\s]', [' ', 'x', '\u2028']],
    ['[\\S]', [' ', 'x']],
    ['\\a\\z\\A\\p', ['azAp', '\u0007']],
    ['[\\d-z]', ['-', 'z', 'y', '5']],
    ['[a-]', ['-', 'a', 'b']],
    ['[]', ['', 'a']],
    ['[^]', ['', 'a', '\n']],
    ['x[^]y', ['x\ny', 'xy']],
    ['\\u0041\\x42', ['AB', 'ab']],
    ['\\ud83d\\ude00', ['😀', 'x']],
    ['\\cJ', ['\n', 'J']],
    ['\\c1', ['\\c1', 'c1']],
    ['[\\b]', ['\b', 'b']],
    ['\\bis\\b', ['this is it', 'this']],
    ['\\Bis', ['this', 'is']],
    ['a{2}', ['aa', 'a']],
    ['a{2,}?b', ['aab', 'ab']],
    ['a{', ['a{', 'a']],
    ['{1,x}', ['{1,x}', '1']],
    ['a}]', ['a}]', 'a']],
    ['(?<word>ab)+c', ['ababc', 'ac']],
    ['(?:ab|cd)+$', ['abcd', 'abc']],
    ['^$', ['', 'a']],
    ['', ['', 'anything']],
    ['\\0', ['\0', '0']],
    ['\\/\\.\\*', ['/.*', '/a*']],
    ['[\\^\\]\\-]', ['^', ']', '-', 'a']],
    ['[\\u0041-\\u0043]', ['B', 'D']],
    ['a$b', ['a$b', 'ab']],
    ['a\\$', ['a$', 'a']],
    ['^^a', ['a']],
    ['新功能', ['试新功能', '功能']],
    ['\\k', ['k', '\\k']],
    ['iPhone 1[0-9]', ['Mozilla/5.0 (iPhone 15)', 'iPhone 9']],
  ];

  it('matches what JavaScript matches on a corpus of patterns, white space, dots, escapes and classes included', () => {
    for (const [pattern, values] of PARITY) {
      for (const value of values) expect(search(pattern)(value), `${JSON.stringify(pattern)} on ${JSON.stringify(value)}`).toBe(new RegExp(pattern).test(value));
    }
  });

  it('reads a character outside the BMP as one character, where JavaScript (without the u flag) sees two', () => {
    expect(new RegExp('^a.c$').test('a😀c')).toBe(false);
    expect(search('^a.c$')('a😀c')).toBe(true);
  });

  it('refuses what no linear-time engine runs, saying what and why', () => {
    for (const [pattern, what] of [
      ['(a)\\1', 'a backreference or octal escape (\\1)'],
      ['\\01', 'a backreference or octal escape (\\0'],
      ['(?<w>a)\\k<w>', 'a backreference (\\k<name>)'],
      ['(?=a)b', 'a lookahead'],
      ['x(?!a)', 'a lookahead'],
      ['(?<=a)b', 'a lookbehind'],
      ['(?<!a)b', 'a lookbehind'],
    ] as const) {
      const compiled = compileLinearSearch(pattern);
      expect('problem' in compiled && compiled.problem, pattern).toContain(`uses ${what}`);
      expect('problem' in compiled && compiled.problem).toContain('linear time');
    }
    const tooMany = compileLinearSearch('a{1001}');
    expect('problem' in tooMany && tooMany.problem).toMatch(/cannot run in flagwire's linear-time regex engine \(.*repeat/);
    const invalid = compileLinearSearch('(');
    expect('problem' in invalid && invalid.problem).toMatch(/^the regular expression "\(" is invalid/);
  });
});
