import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The documents a reader is sent through: README.md at the root and one page per topic in docs/. Tests read
 * them from disk, so a page added to docs/ is checked without being listed here.
 */

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface Doc {
  /** The path from the repository's root, with `/`: `README.md`, `docs/cli.md`. */
  readonly name: string;
  readonly text: string;
}

/** The names of the docs/ pages, sorted: `docs/cli.md`, … */
export function docsPages(): string[] {
  return readdirSync(join(ROOT, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((file) => `docs/${file}`);
}

/** README.md, then every docs/ page. */
export function documents(): Doc[] {
  return ['README.md', ...docsPages()].map((name) => ({ name, text: readFileSync(join(ROOT, name), 'utf8') }));
}

/** The text without its fenced code blocks (their lines kept blank, so line numbers still hold). */
export function withoutCodeBlocks(markdown: string): string {
  let inBlock = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^```/.test(line)) {
        inBlock = !inBlock;
        return '';
      }
      return inBlock ? '' : line;
    })
    .join('\n');
}

/** Markdown links of a text outside code (fenced blocks and inline code spans): their targets, in order. */
export function linkTargets(markdown: string): string[] {
  const prose = withoutCodeBlocks(markdown).replace(/`[^`\n]*`/g, '``');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] as string);
}

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a document's headings (outside code blocks). */
export function anchors(markdown: string): Set<string> {
  const headings = withoutCodeBlocks(markdown).match(/^#{1,6} .+$/gm) ?? [];
  return new Set(headings.map((h) => slug(h.replace(/^#+ /, ''))));
}
