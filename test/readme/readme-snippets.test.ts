import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { documents, ROOT } from './documents';
import { codeBlocks, readmeSnippets, type SnippetFile, snippetFiles } from './snippets';

/**
 * Every TypeScript snippet of the README and of the docs/ pages compiles under strict TypeScript, with the root
 * tsconfig's options (its `paths` resolve `flagwire/*` to the sources). Snippets are parts of an app: the names
 * they use without defining them (the Express `app`, the signed-in `req.user`, the app's own components) are
 * declared once, in PRELUDE, with the types a real app would give them.
 */

// A dot folder: tsc's `include` globs skip it, so a left-over file never reaches the project's own type-check.
const WORK = join(ROOT, 'test/readme/.snippets');
/**
 * How many snippet files each document shows today, counted by hand from the documents (a block split at its
 * `// path` lines counts each file). A document missing here, or a count that differs, fails: a snippet that was
 * dropped, or one the splitter missed, is noticed; a page that gains or loses one updates its count here.
 */
const EXPECTED_FILES: Readonly<Record<string, number>> = {
  'README.md': 7, // the flags file, Express, Next (lib/flags.ts, app/layout.tsx, app/page.tsx, app/api/flags/route.ts), React
  'docs/datastream-and-redis.md': 1,
  'docs/engine.md': 1,
  'docs/exposures.md': 4, // onExposures, Express, the Next route, the React provider
  'docs/express.md': 1,
  'docs/featbit.md': 1,
  'docs/flags-file.md': 2, // flags with no account; flags in code (a Register augmentation)
  'docs/flags-sdk.md': 6, // flagwire.flags.d.ts (a Register augmentation), lib/flags-sdk.ts, app/page.tsx, proxy.ts, the landing page, the discovery route
  'docs/next.md': 11, // lib/flags.ts, layout, page, client component, flags route, webhook route; cacheComponents: lib/flags.ts, a 'use cache' component; live: lib/flags.ts, the live route, layout
  'docs/openfeature.md': 2, // server, browser
  'docs/react.md': 1,
  'docs/schematic.md': 1,
  'docs/static-experiments.md': 3, // lib/flags-sdk.ts, proxy.ts, the landing page
  'docs/testing.md': 1,
  'docs/toolbar.md': 6, // Express (server.tsx, client.tsx); Next (lib/toolbar-access.ts, lib/flags.ts, the overrides route, app/layout.tsx)
  'docs/values-and-rollouts.md': 1,
  'docs/webhooks.md': 4, // Express, App Router, Pages Router, Fetch
};

const PRELUDE = `// The rest of the app the snippets are taken from: only names they use and never define.
/** The app's flags client (docs/flags-file.md). */
declare const client: import('flagwire/server').FlagsClient;
/** The Express app (docs/webhooks.md). */
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
    user: { id: string; companyId: string; role: 'member' | 'staff' };
  }
}
/** The payload the server embedded in the page (README, Express; docs/express.md). */
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

/** A snippet file and the document that shows it. */
interface DocSnippet extends SnippetFile {
  readonly doc: string;
}

interface Written {
  readonly snippet: DocSnippet;
  readonly file: string;
}

/** Every TypeScript file the README and the docs/ pages show, each with its document. */
function allSnippets(): DocSnippet[] {
  return documents().flatMap(({ name, text }) => readmeSnippets(text, name).map((s) => ({ ...s, doc: name })));
}

/**
 * Writes a snippet file where its block's other files can import it: each document's blocks in a folder of
 * their own, so two pages may show the same file name. `export {}` makes a fragment a module.
 */
function write(snippet: DocSnippet): Written {
  const file = join(WORK, snippet.doc.replace(/[/.]/g, '_'), `block-${snippet.block + 1}`, snippet.path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${snippet.text}\nexport {};\n`);
  return { snippet, file };
}

/** A diagnostic as `docs/page.md:line`, so a failure points at the snippet's line in its document. */
function describeDiagnostic(diagnostic: ts.Diagnostic, written: readonly Written[]): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  const source = diagnostic.file;
  if (!source || diagnostic.start === undefined) return message;
  const { line } = source.getLineAndCharacterOfPosition(diagnostic.start);
  const found = written.find((w) => resolve(w.file) === resolve(source.fileName));
  if (!found) return `${relative(ROOT, source.fileName)}:${line + 1}: ${message}`;
  return `${found.snippet.doc}:${found.snippet.line + line} (${found.snippet.path}): ${message}`;
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

describe('README and docs snippets', () => {
  afterAll(() => rmSync(WORK, { recursive: true, force: true }));

  it("splits a block at its file lines, keeping the document's line numbers", () => {
    const [block] = codeBlocks('text\n```tsx\n// a/one.ts — note\nconst a = 1;\n\n// a/two.tsx\n\'use client\';\n```\n');
    expect(block).toBeDefined();
    expect(snippetFiles(block!, 0).map(({ path, line }) => ({ path, line }))).toEqual([
      { path: 'a/one.ts', line: 3 },
      { path: 'a/two.tsx', line: 6 },
    ]);
  });

  it('each document shows the snippets it is expected to', () => {
    const counts: Record<string, number> = {};
    for (const s of allSnippets()) counts[s.doc] = (counts[s.doc] ?? 0) + 1;
    expect(counts).toEqual(EXPECTED_FILES);
  });

  it('compile under strict TypeScript with the root tsconfig', () => {
    const snippets = allSnippets();
    // Honest types: a snippet that only compiles through `any` proves nothing.
    expect(snippets.filter((s) => /(?::|\bas|<)\s*any\b/.test(s.text)).map((s) => `${s.doc} ${s.path}`)).toEqual([]);
    expect(snippets.filter(misplacedDirective).map((s) => `${s.doc}:${s.line} ${s.path}`)).toEqual([]);
    // The prelude declares only what some snippet uses: a name no snippet needs any more goes with it.
    const declared = [...PRELUDE.matchAll(/declare (?:const|function) (\w+)/g)].map((m) => m[1] as string);
    expect(declared.filter((name) => !snippets.some((s) => new RegExp(`\\b${name}\\b`).test(s.text)))).toEqual([]);

    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    const prelude = join(WORK, 'readme-prelude.d.ts');
    writeFileSync(prelude, PRELUDE);
    const written = snippets.map(write);
    // A `Register` augmentation types flag keys program-wide, as in the one app it belongs to; its block is
    // checked on its own so it does not retype the other snippets' keys.
    const blockOf = (w: Written) => `${w.snippet.doc}#${w.snippet.block}`;
    const registers = new Set(written.filter((w) => /declare module ['"]flagwire\//.test(w.snippet.text)).map(blockOf));
    const groups = [written.filter((w) => !registers.has(blockOf(w))), ...[...registers].map((b) => written.filter((w) => blockOf(w) === b))];

    const options = compilerOptions();
    const results = groups.map((files) => typeCheck(files, prelude, options));
    expect(results.flatMap((r) => r.problems)).toEqual([]);
    expect(results.reduce((sum, r) => sum + r.checked, 0)).toBe(snippets.length);
  }, 180_000);
});
