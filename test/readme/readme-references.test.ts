import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchors, documents, linkTargets, ROOT, slug } from './documents';

/**
 * The README and the docs/ pages stand alone: every document they send the reader to ships in the repository,
 * every anchor they link to is a heading there, and none cites a document outside it or a numbered section.
 */
const docs = documents();

/** A link that leaves the repository's files: the web, or mail. */
const EXTERNAL = /^(?:https?:|mailto:)/;

/** Where a relative link points, from the linking document's folder; `null` for a link to the same page. */
function linkedFile(doc: string, target: string): string | null {
  const path = target.split('#')[0] as string;
  return path === '' ? null : resolve(ROOT, dirname(doc), decodeURI(path));
}

function insideRepository(file: string): boolean {
  const rel = relative(ROOT, file);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !rel.startsWith(sep);
}

describe('README and docs references', () => {
  it('reads the README and at least one docs page', () => {
    expect(docs[0]?.name).toBe('README.md');
    expect(docs.length).toBeGreaterThan(1);
  });

  it.each(docs.map((d) => [d.name, d.text] as const))('%s: every relative link resolves inside the repository', (name, text) => {
    const broken: string[] = [];
    for (const target of linkTargets(text)) {
      if (EXTERNAL.test(target)) continue;
      if (/^(?:\/|file:|[A-Za-z]:\\)/.test(target)) {
        broken.push(`${target}: an absolute path, not a file of the repository`);
        continue;
      }
      const file = linkedFile(name, target);
      if (file === null) continue;
      if (!insideRepository(file)) broken.push(`${target}: outside the repository`);
      else if (!existsSync(file)) broken.push(`${target}: no such file`);
    }
    expect(broken).toEqual([]);
  });

  it.each(docs.map((d) => [d.name, d.text] as const))('%s: every link to a heading names a heading of its page', (name, text) => {
    const missing: string[] = [];
    for (const target of linkTargets(text)) {
      if (EXTERNAL.test(target) || !target.includes('#')) continue;
      const anchor = target.slice(target.indexOf('#') + 1);
      const file = linkedFile(name, target);
      if (file !== null && (!file.endsWith('.md') || !existsSync(file) || statSync(file).isDirectory())) continue;
      const page = file === null ? text : readFileSync(file, 'utf8');
      if (!anchors(page).has(anchor)) missing.push(target);
    }
    expect(missing).toEqual([]);
  });

  it.each(docs.map((d) => [d.name, d.text] as const))('%s: names only Markdown documents that are in the repository', (name, text) => {
    // Links resolve from the document's folder (checked above); a name given as text is a path from the root.
    const prose = text.replace(/\[[^\]\n]*\]\([^)\s]+\)/g, '');
    const named = [...new Set(prose.match(/[\w./-]+\.md\b/g) ?? [])];
    expect(named.filter((file) => !existsSync(join(ROOT, file))), `${name} names these as paths from the root`).toEqual([]);
  });

  it.each(docs.map((d) => [d.name, d.text] as const))('%s: cites nothing outside the repository', (_name, text) => {
    expect(text.match(/\.\.\/shared\b[^\s)]*/g) ?? []).toEqual([]);
  });

  it.each(docs.map((d) => [d.name, d.text] as const))('%s: cites no numbered section of another document', (_name, text) => {
    // `§ 3`, `README §2`, `ARCHITECTURE.md § 4`: a section number says nothing once that document changes.
    expect(text.match(/(?:[\w.-]+\s?)?§\s?\d+/g) ?? []).toEqual([]);
  });

  it('checks anchors the way GitHub makes them', () => {
    expect(slug('`flagwire validate` on a FeatBit file')).toBe('flagwire-validate-on-a-featbit-file');
    expect(slug("Parity with Schematic's engine")).toBe('parity-with-schematics-engine');
    expect(slug('`proxy.ts` / `middleware.ts`')).toBe('proxyts--middlewarets');
  });
});
