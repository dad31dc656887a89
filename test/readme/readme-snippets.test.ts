import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { codeBlocks, readmeSnippets, type SnippetFile, snippetFiles } from './snippets';

/**
 * Every TypeScript snippet of the README compiles under strict TypeScript, with the root tsconfig's options
 * (its `paths` resolve `flagwire/*` to the sources). Snippets are parts of an app: the names they use
 * without defining them (the Express `app`, the signed-in `req.user`, the app's own components) are declared
 * once, in PRELUDE, with the types a real app would give them.
 */

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const README = join(ROOT, 'README.md');
// A dot folder: tsc's `include` globs skip it, so a left-over file never reaches the project's own type-check.
const WORK = join(ROOT, 'test/readme/.snippets');
/** How many files the README shows today; fewer means a snippet was dropped or the splitter missed some. */
const EXPECTED_FILES = 21;

const PRELUDE = `// The rest of the app the README's snippets are taken from: only names they use and never define.
/** The app's flags client (see "The embedded default"). */
declare const client: import('flagwire/server').FlagsClient;
/** The Express app of the Webhooks section. */
declare const app: import('express').Express;
/** Your Schematic secret API key. */
declare const apiKey: string;
/** Wire JSON from DataStream or a Schematic cache. */
declare const flagJson: import('flagwire/server').WireFlag;
declare const companyJson: import('flagwire/server').WireCompany;
declare const userJson: import('flagwire/server').WireUser;
/** The app's own functions and components. */
declare function report(): string;
declare function audit(companyId: string): void;
declare function log(line: string): void;
declare function App(): import('react').JSX.Element;
declare function Dashboard(): import('react').JSX.Element;
declare function NewDashboard(): import('react').JSX.Element;
declare function OldEditor(): import('react').JSX.Element;
declare function NewEditor(props: { remaining: number | null }): import('react').JSX.Element;
/** The signed-in user, set by the app's authentication middleware before flagsMiddleware. */
declare namespace Express {
  interface Request {
    user: { id: string; companyId: string };
  }
}
/** The payload the server embedded in the page (see the Express section). */
interface Window {
  __FLAGS__: import('flagwire/server').SnapshotJSON;
}
`;

function compilerOptions(): ts.CompilerOptions {
  const path = join(ROOT, 'tsconfig.json');
  const { config, error } = ts.readConfigFile(path, (file) => ts.sys.readFile(file));
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, path);
  return { ...parsed.options, strict: true, noEmit: true };
}

interface Written {
  readonly snippet: SnippetFile;
  readonly file: string;
}

/** Writes a snippet file where its block's other files can import it. `export {}` makes a fragment a module. */
function write(snippet: SnippetFile): Written {
  const file = join(WORK, `block-${snippet.block + 1}`, snippet.path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${snippet.text}\nexport {};\n`);
  return { snippet, file };
}

/** A diagnostic as `README.md:line`, so a failure points at the snippet's line in the README. */
function describeDiagnostic(diagnostic: ts.Diagnostic, written: readonly Written[]): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  const source = diagnostic.file;
  if (!source || diagnostic.start === undefined) return message;
  const { line } = source.getLineAndCharacterOfPosition(diagnostic.start);
  const found = written.find((w) => resolve(w.file) === resolve(source.fileName));
  if (!found) return `${relative(ROOT, source.fileName)}:${line + 1}: ${message}`;
  return `README.md:${found.snippet.line + line} (${found.snippet.path}): ${message}`;
}

/** Type-checks the files in one program with the prelude; every problem, described. */
function typeCheck(files: readonly Written[], prelude: string, options: ts.CompilerOptions): { problems: string[]; checked: number } {
  const program = ts.createProgram({ rootNames: [prelude, ...files.map((w) => w.file)], options });
  const diagnostics: ts.Diagnostic[] = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  let checked = 0;
  for (const path of [prelude, ...files.map((w) => w.file)]) {
    const source = program.getSourceFile(path);
    if (!source) throw new Error(`${path} is not in the program`);
    diagnostics.push(...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source));
    if (path !== prelude) checked++;
  }
  return { problems: diagnostics.map((d) => describeDiagnostic(d, files)), checked };
}

/** A `'use client'` that is not the file's first statement is no directive: Next would render it on the server. */
function misplacedDirective(snippet: SnippetFile): boolean {
  if (!snippet.text.includes("'use client'")) return false;
  const source = ts.createSourceFile(snippet.path, snippet.text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TSX);
  const first = source.statements[0];
  return !(first && ts.isExpressionStatement(first) && ts.isStringLiteral(first.expression) && first.expression.text === 'use client');
}

describe('README snippets', () => {
  afterAll(() => rmSync(WORK, { recursive: true, force: true }));

  it('splits a block at its file lines, keeping README line numbers', () => {
    const [block] = codeBlocks('text\n```tsx\n// a/one.ts — note\nconst a = 1;\n\n// a/two.tsx\n\'use client\';\n```\n');
    expect(block).toBeDefined();
    expect(snippetFiles(block!, 0).map(({ path, line }) => ({ path, line }))).toEqual([
      { path: 'a/one.ts', line: 3 },
      { path: 'a/two.tsx', line: 6 },
    ]);
  });

  it('compile under strict TypeScript with the root tsconfig', () => {
    const snippets = readmeSnippets(readFileSync(README, 'utf8'));
    expect(snippets.length).toBeGreaterThanOrEqual(EXPECTED_FILES);
    // Honest types: a snippet that only compiles through `any` proves nothing.
    expect(snippets.filter((s) => /(?::|\bas|<)\s*any\b/.test(s.text)).map((s) => s.path)).toEqual([]);
    expect(snippets.filter(misplacedDirective).map((s) => `README.md:${s.line} ${s.path}`)).toEqual([]);
    // The prelude declares only what some snippet uses: a name no snippet needs any more goes with it.
    const declared = [...PRELUDE.matchAll(/declare (?:const|function) (\w+)/g)].map((m) => m[1] as string);
    expect(declared.filter((name) => !snippets.some((s) => new RegExp(`\\b${name}\\b`).test(s.text)))).toEqual([]);

    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    const prelude = join(WORK, 'readme-prelude.d.ts');
    writeFileSync(prelude, PRELUDE);
    const written = snippets.map(write);
    // A `Register` augmentation types flag keys program-wide, as in the one app it belongs to; its block is
    // checked on its own so it does not retype the other sections' keys.
    const registers = new Set(written.filter((w) => /declare module ['"]flagwire\//.test(w.snippet.text)).map((w) => w.snippet.block));
    const groups = [written.filter((w) => !registers.has(w.snippet.block)), ...[...registers].map((b) => written.filter((w) => w.snippet.block === b))];

    const options = compilerOptions();
    const results = groups.map((files) => typeCheck(files, prelude, options));
    expect(results.flatMap((r) => r.problems)).toEqual([]);
    expect(results.reduce((sum, r) => sum + r.checked, 0)).toBe(snippets.length);
  }, 180_000);
});
