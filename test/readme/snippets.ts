/**
 * The TypeScript snippets of a Markdown document (the README, a docs/ page) as files: every ```ts and ```tsx
 * block, split at its `// path/file.ts` lines, so one block can show several files of an app (a layout, a page,
 * a route) one after another.
 */

/** One fenced code block: its language and the document line of its first code line (1-based). */
export interface CodeBlock {
  readonly lang: string;
  readonly line: number;
  readonly text: string;
}

/** One file of a snippet: where it goes, what it holds, and the document line of its first line. */
export interface SnippetFile {
  readonly block: number;
  readonly path: string;
  readonly line: number;
  readonly text: string;
}

const FENCE = /^```(\S*)\s*$/;
/** `// app/layout.tsx`, optionally followed by a note: the first line of a file in a multi-file block. */
const FILE_LINE = /^\/\/ ((?:[\w.@()[\]-]+\/)*[\w.@()[\]-]+\.tsx?)(?:\s|$)/;

/** Every fenced code block of a Markdown text, in order. A fence left open is an error, not a silent end. */
export function codeBlocks(markdown: string, name = 'README.md'): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  let open: { lang: string; line: number; body: string[] } | null = null;
  for (const [i, text] of lines.entries()) {
    if (open === null) {
      const fence = FENCE.exec(text);
      if (fence) open = { lang: fence[1] ?? '', line: i + 2, body: [] };
    } else if (text.trim() === '```') {
      blocks.push({ lang: open.lang, line: open.line, text: open.body.join('\n') });
      open = null;
    } else {
      open.body.push(text);
    }
  }
  if (open !== null) throw new Error(`${name}: the code block opened at line ${open.line - 1} is never closed`);
  return blocks;
}

/**
 * A TypeScript block's files. Lines before the first `// path` line (or a block without one) form
 * `snippet.ts`/`snippet.tsx`; each file keeps its path line, so its line numbers map onto the document's.
 */
export function snippetFiles(block: CodeBlock, index: number): SnippetFile[] {
  const files: SnippetFile[] = [];
  let current: { path: string; line: number; lines: string[] } | null = null;
  const flush = () => {
    if (current && current.lines.some((l) => l.trim() !== '')) {
      files.push({ block: index, path: current.path, line: current.line, text: current.lines.join('\n') });
    }
  };
  block.text.split('\n').forEach((text, i) => {
    const path = FILE_LINE.exec(text)?.[1];
    if (path !== undefined || current === null) {
      flush();
      current = { path: path ?? `snippet.${block.lang}`, line: block.line + i, lines: [] };
    }
    current.lines.push(text);
  });
  flush();
  return files;
}

/** Every TypeScript file a Markdown document shows, numbered by block. */
export function readmeSnippets(markdown: string, name = 'README.md'): SnippetFile[] {
  return codeBlocks(markdown, name)
    .filter((block) => block.lang === 'ts' || block.lang === 'tsx')
    .flatMap((block, index) => snippetFiles(block, index));
}
