import { findNodeAtLocation, type Node, type ParseError, parse, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { ZodError } from 'zod';
import { parseCompany, parseFlag, type ParsedFlag, parseUser, type WireCompany, type WireFlag, type WireUser } from '../engine';
import { FlagsFileError, type FlagsFileProblem, InvalidEntityError } from '../errors';
import { compileConcise, type CompiledFlags, type PathProblem } from './compile';
import { conciseFileSchema, snapshotFileSchema } from './schema';

/** A flags file, validated and ready: flags parsed for the engine, entities in wire form for the store. */
export interface FlagsData {
  readonly flags: ReadonlyMap<string, ParsedFlag>;
  readonly wireFlags: ReadonlyMap<string, WireFlag>;
  readonly companies: readonly WireCompany[];
  readonly users: readonly WireUser[];
  /** Flags whose values may be sent to browsers. */
  readonly clientKeys: ReadonlySet<string>;
}

type Path = readonly (string | number)[];

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'unexpected character (strings need double quotes; true, false and null are lower case)',
  ValueExpected: 'a value is expected here',
  ColonExpected: 'a colon is expected after the property name',
  CommaExpected: 'a comma is expected between entries',
  PropertyNameExpected: 'a property name in double quotes is expected',
  CloseBraceExpected: 'a closing } is missing',
  CloseBracketExpected: 'a closing ] is missing',
  EndOfFileExpected: 'unexpected text after the end of the document',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfComment: 'a comment is not closed',
};

/**
 * Reads a flags file's text (JSON, comments and trailing commas allowed) in either format.
 * @throws FlagsFileError listing every problem with its line, column and path.
 */
export function loadFlagsText(text: string, file: string): FlagsData {
  const syntaxErrors: ParseError[] = [];
  const json: unknown = parse(text, syntaxErrors, { allowTrailingComma: true });
  const locate = locator(text);
  const firstSyntaxError = syntaxErrors[0];
  if (firstSyntaxError) {
    // Later syntax errors are usually echoes of the first; report the one that matters.
    const message = SYNTAX_MESSAGES[printParseErrorCode(firstSyntaxError.error)] ?? printParseErrorCode(firstSyntaxError.error);
    throw new FlagsFileError(file, [{ ...locate.offset(firstSyntaxError.offset), path: '', message: `JSON syntax: ${message}` }]);
  }
  const fail = (problems: readonly PathProblem[]): never => {
    throw new FlagsFileError(file, problems.map((p) => locate.path(p.path, p.message)));
  };
  const isSnapshot = typeof json === 'object' && json !== null && 'format' in json;
  const compiled = isSnapshot ? readSnapshot(json, fail) : readConcise(json, fail);
  return toFlagsData(compiled, isSnapshot ? 'snapshot' : 'concise', fail);
}

function zodProblems(error: ZodError): PathProblem[] {
  return error.issues.map((issue) => ({ path: issue.path as (string | number)[], message: issue.message }));
}

function readConcise(json: unknown, fail: (problems: readonly PathProblem[]) => never): CompiledFlags {
  const result = conciseFileSchema.safeParse(json);
  if (!result.success) return fail(zodProblems(result.error));
  const compiled = compileConcise(result.data);
  return 'problems' in compiled ? fail(compiled.problems) : compiled;
}

function readSnapshot(json: unknown, fail: (problems: readonly PathProblem[]) => never): CompiledFlags {
  const result = snapshotFileSchema.safeParse(json);
  if (!result.success) return fail(zodProblems(result.error));
  const { flags, companies, users, client } = result.data;
  return { flags: flags as WireFlag[], companies: companies as WireCompany[], users: users as WireUser[], clientKeys: client };
}

/** `rules[0].conditions[1].metric_value` → ['rules', 0, 'conditions', 1, 'metric_value'] */
function splitEntityPath(path: string): (string | number)[] {
  return [...path.matchAll(/[^.[\]]+/g)].map(([part]) => (/^\d+$/.test(part) ? Number(part) : part));
}

function toFlagsData(compiled: CompiledFlags, format: 'concise' | 'snapshot', fail: (problems: readonly PathProblem[]) => never): FlagsData {
  const problems: PathProblem[] = [];
  const parseAt = <T>(prefix: Path, parse: () => T): T | null => {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof InvalidEntityError)) throw error;
      problems.push({ path: [...prefix, ...splitEntityPath(error.path)], message: error.message.replace(/^\[flagwire\] /, '') });
      return null;
    }
  };
  const flags = new Map<string, ParsedFlag>();
  const wireFlags = new Map<string, WireFlag>();
  compiled.flags.forEach((wire, i) => {
    // In the concise format flags are keyed by name; in a snapshot they are a list.
    const prefix = format === 'concise' ? ['flags', wire.key] : ['flags', i];
    const parsed = parseAt(prefix, () => parseFlag(wire));
    if (parsed === null) return;
    if (flags.has(parsed.key)) problems.push({ path: [...prefix, 'key'], message: `flag key "${parsed.key}" appears twice` });
    flags.set(parsed.key, parsed);
    wireFlags.set(parsed.key, wire);
  });
  compiled.companies.forEach((wire, i) => parseAt(['companies', i], () => parseCompany(wire)));
  compiled.users.forEach((wire, i) => parseAt(['users', i], () => parseUser(wire)));
  if (problems.length > 0) return fail(problems);
  return { flags, wireFlags, companies: compiled.companies, users: compiled.users, clientKeys: new Set(compiled.clientKeys) };
}

/** Turns offsets and JSON paths into lines and columns (1-based) in the original text. */
function locator(text: string) {
  let tree: Node | undefined;
  const offset = (at: number): { line: number; column: number } => {
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    return { line, column: at - before.lastIndexOf('\n') };
  };
  const path = (segments: Path, message: string): FlagsFileProblem => {
    tree ??= parseTree(text, [], { allowTrailingComma: true });
    let node: Node | undefined;
    // The deepest node that exists: a missing field is reported where its object is.
    for (let length = segments.length; length >= 0 && !node; length--) {
      node = tree ? findNodeAtLocation(tree, segments.slice(0, length) as (string | number)[]) : undefined;
    }
    return { ...offset(node?.offset ?? 0), path: segments.join('.'), message };
  };
  return { offset, path };
}
