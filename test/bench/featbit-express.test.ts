import { describe, expect, it } from 'vitest';
import { checkPages } from '../../bench/featbit-express';

// The callgrind bench counts only apps that served the pages they should: FeatBit mode (with and without insights)
// the flags file's page for each user, bare Express its one page of constants.
const flagPages = ['<ul><li>a: bold</li></ul>', '<ul><li>a: control</li></ul>'];
const pages = (overrides: Partial<Record<'bare' | 'featbit' | 'featbit-no-insights' | 'file', string[]>> = {}) => ({
  bare: ['<ul><li>a: constant</li></ul>', '<ul><li>a: constant</li></ul>'],
  featbit: flagPages,
  'featbit-no-insights': flagPages,
  file: flagPages,
  ...overrides,
});

describe('the FeatBit Express bench page check', () => {
  it('passes when both FeatBit apps serve each user the flags-file page and bare Express its constants', () => {
    expect(() => checkPages(pages())).not.toThrow();
  });

  it('fails when a FeatBit app serves one user another page, or fewer pages', () => {
    expect(() => checkPages(pages({ featbit: [flagPages[0]!, flagPages[0]!] }))).toThrow(/featbit app served user 1/);
    expect(() => checkPages(pages({ 'featbit-no-insights': [flagPages[0]!] }))).toThrow(/featbit-no-insights/);
  });

  it('fails when bare Express varies or renders what the flag apps render', () => {
    expect(() => checkPages(pages({ bare: flagPages }))).toThrow(/bare Express/);
    expect(() => checkPages(pages({ bare: [flagPages[1]!, flagPages[1]!] }))).toThrow(/bare Express/);
  });
});
