import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The README stands alone: every document it sends the reader to ships in the repository, and it cites no
 * section of a document that does not.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(`${root}README.md`, 'utf8');

describe('README references', () => {
  it('names only Markdown documents that are in the repository', () => {
    const named = [...new Set(readme.match(/[\w./-]+\.md\b/g) ?? [])];
    // In the file tree at its end, RESULTS.md stands under bench/.
    const missing = named.filter((file) => !existsSync(`${root}${file}`) && !existsSync(`${root}bench/${file}`));
    expect(missing).toEqual([]);
  });

  it('cites no numbered section of another document', () => {
    expect(readme.match(/[A-Z][\w-]*(\.md)? §\s?\d+/g) ?? []).toEqual([]);
  });
});
