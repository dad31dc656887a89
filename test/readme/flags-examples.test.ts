import { describe, expect, it } from 'vitest';
import { loadFlagsText } from '../../src/engine';
import { documents } from './documents';
import { codeBlocks } from './snippets';

/**
 * The flags files the README and the docs/ pages show (their ```jsonc blocks) are files a client reads as
 * written: an example a newcomer copies never fails on its first save.
 */
const examples = documents().flatMap(({ name, text }) =>
  codeBlocks(text, name)
    .filter((block) => block.lang === 'jsonc')
    .map((block) => [`${name}:${block.line}`, block.text] as const),
);

describe('flags-file examples', () => {
  it('are there: the README quick start, the format and the values page', () => {
    expect(examples.map(([where]) => where.split(':')[0])).toEqual(['README.md', 'docs/flags-file.md', 'docs/values-and-rollouts.md']);
  });

  it.each(examples)('%s loads as a flags file', (where, text) => {
    const data = loadFlagsText(text, where);
    expect(data).toBeDefined();
  });
});
