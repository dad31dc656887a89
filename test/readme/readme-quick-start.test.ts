import { describe, expect, it } from 'vitest';
import { codeBlocks } from './snippets';
import { docsPages, documents, linkTargets, withoutCodeBlocks } from './documents';

/**
 * The README is a quick start a newcomer reads to the end: short, in the order an app is built, with every
 * topic a page of its own in docs/ that the README links to.
 */
const [readme, ...pages] = documents();
if (!readme || readme.name !== 'README.md') throw new Error('README.md is not the first document');

/** A line count as an editor shows it: a final newline ends the last line, it starts none. */
const lineCount = (text: string) => text.replace(/\n$/, '').split('\n').length;

/** The `## ` headings of a document, in order, outside code blocks. */
const headings = (text: string) => (withoutCodeBlocks(text).match(/^## .+$/gm) ?? []).map((h) => h.slice(3));

describe('README quick start', () => {
  it('is at most 220 lines', () => {
    expect(lineCount(readme.text)).toBeLessThanOrEqual(220);
  });

  it('links every docs/ page', () => {
    const linked = new Set(linkTargets(readme.text).map((target) => target.split('#')[0]));
    expect(docsPages().filter((page) => !linked.has(page))).toEqual([]);
  });

  it('goes from set-up to an app, in order, and ends with where to go next', () => {
    const order = ['Set-up', 'Install', 'The flags file', 'Express', 'Next.js', 'React', 'Browser toolbar and overrides', 'CLI'];
    const found = headings(readme.text);
    expect(found.filter((h) => order.includes(h))).toEqual(order);
    expect(found.at(-1)).toBe('Where to go next');
  });

  it('keeps exactly the two set-up commands', () => {
    const setUp = readme.text.slice(readme.text.indexOf('## Set-up\n'), readme.text.indexOf('\n## ', readme.text.indexOf('## Set-up\n') + 1));
    const commands = codeBlocks(setUp).flatMap((b) => b.text.split('\n').map((line) => line.replace(/\s+#.*$/, '').trim()));
    expect(commands.filter(Boolean)).toEqual(['npm ci && npm start', 'npm ci && npm test']);
  });
});

describe('docs/ pages', () => {
  it('are there', () => {
    expect(pages.length).toBeGreaterThan(0);
  });

  it.each(pages.map((p) => [p.name, p.text] as const))('%s starts with a title and a one-line summary, and links back to the README', (_name, text) => {
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^# \S/);
    expect(lines[1]).toBe('');
    // The summary is one line: a paragraph of its own.
    expect(lines[2]).toMatch(/^\S/);
    expect(lines[3]).toBe('');
    expect(linkTargets(text).some((target) => target.split('#')[0] === '../README.md')).toBe(true);
  });
});
