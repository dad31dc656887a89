import { parseTree, printParseErrorCode } from 'jsonc-parser';
import type { WireCompany, WireFlag, WireUser } from '../evaluators/schematic/engine';
import { FlagsFileError, FlagwireError } from '../core/errors';
import { readFeatBitFile } from './featbit-file';
import type { FlagsData } from './flags-data';
import { toFlagsData } from './flags-data-of';
import { compileConcise, type CompiledFlags } from './compile';
import { Locator, type PathProblem } from './locator';
import { conditionProblems } from './read-conditions';
import { conciseFileSchema, snapshotFileSchema } from './schema';
import { schemaProblems } from './schema-problems';
import { plainUsers } from './plain-file';
import { readJsonc } from './read-jsonc';
import { readPlainFlagsText } from './read-plain';
import { MAX_FLAGS_FILE_BYTES, tooLarge } from './size-limit';
import { MAX_NESTING, tooDeepAt } from './structure';

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
 * @throws FlagsFileError listing every problem with its line, column and path; never anything else, since a
 * watched file is input the process must survive.
 */
export function loadFlagsText(text: string, file: string): FlagsData {
  try {
    // Most files are well-formed: the fast path reads them; the full reader, every other file and every problem.
    return readPlainFlagsText(text) ?? readFlagsText(text, file);
  } catch (error) {
    if (error instanceof FlagwireError) throw error;
    // A failure of a parser or validator is still a problem with this file, not a reason to crash.
    throw new FlagsFileError(file, [{ line: 1, column: 1, path: '', message: `cannot be read: ${(error as Error)?.message ?? String(error)}` }]);
  }
}

function readFlagsText(text: string, file: string): FlagsData {
  // Counted in characters here (a file's bytes where it is read): either is the size the reading costs.
  if (text.length > MAX_FLAGS_FILE_BYTES) throw new FlagsFileError(file, [{ line: 1, column: 1, path: '', message: tooLarge(text.length) }]);
  // Nesting is checked first, in one pass: the parser and validators recurse, and would overflow the stack.
  const tooDeep = tooDeepAt(text);
  const lines = new Locator(text, undefined);
  if (tooDeep !== -1) throw new FlagsFileError(file, [{ ...lines.offset(tooDeep), path: '', message: `nested deeper than ${MAX_NESTING} levels` }]);
  const { value: json, syntaxError, nameProblems } = readJsonc(text, lines);
  if (syntaxError) {
    const message = SYNTAX_MESSAGES[printParseErrorCode(syntaxError.error)] ?? printParseErrorCode(syntaxError.error);
    throw new FlagsFileError(file, [{ ...lines.offset(syntaxError.offset), path: '', message: `JSON syntax: ${message}` }]);
  }
  if (nameProblems.length > 0) throw new FlagsFileError(file, nameProblems);
  const fail = (problems: readonly PathProblem[]): never => {
    // Only now is there a reason for a syntax tree: it places each problem's path in the text.
    const locator = new Locator(text, parseTree(text, [], { allowTrailingComma: true }));
    const located = problems.map((p) => ({ ...locator.path(p.path, p.atName), path: p.path.join('.'), message: p.message }));
    // In the order of the file, as a writer fixes them; problems found by different passes are interleaved.
    throw new FlagsFileError(file, located.sort((a, b) => a.line - b.line || a.column - b.column));
  };
  if (typeof json === 'object' && json !== null && 'messageType' in json) return readFeatBitFile(json, fail);
  const isSnapshot = typeof json === 'object' && json !== null && 'format' in json;
  const compiled = isSnapshot ? readSnapshot(json, fail) : readConcise(json, fail);
  return toFlagsData(compiled, isSnapshot ? 'snapshot' : 'concise', fail);
}

function readConcise(json: unknown, fail: (problems: readonly PathProblem[]) => never): CompiledFlags {
  // Plainly well-formed users skip the schema (they are most of a large file); any other file is validated whole.
  const users = plainUsers(json);
  const result = conciseFileSchema.safeParse(users === null ? json : { ...(json as object), users: [] });
  // Conditions are read even so: a writer fixes the schema's problems and theirs in one round.
  if (!result.success) return fail([...schemaProblems(result.error, conciseFileSchema), ...conditionProblems(json)]);
  const compiled = compileConcise(users === null ? result.data : { ...result.data, users });
  return 'problems' in compiled ? fail(compiled.problems) : compiled;
}

function readSnapshot(json: unknown, fail: (problems: readonly PathProblem[]) => never): CompiledFlags {
  const result = snapshotFileSchema.safeParse(json);
  if (!result.success) return fail(schemaProblems(result.error, snapshotFileSchema));
  const { flags, companies, users, client } = result.data;
  return { flags: flags as WireFlag[], companies: companies as WireCompany[], users: users as WireUser[], clientKeys: client, variants: [], descriptions: [] };
}

