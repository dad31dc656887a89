import { compileConcise } from './compile';
import type { FlagsData } from './flags-data';
import { toFlagsData } from './flags-data-of';
import type { PathProblem } from './locator';
import { plainConciseFile } from './plain-file';
import { readPlainJson } from './plain-json';
import { MAX_FLAGS_FILE_BYTES } from './size-limit';

/** Thrown by the plain path's `fail`: the file has a problem, which the full reader will word and place. */
const HAS_PROBLEMS = new Error('the flags file has problems');

/**
 * A flags file in the concise format, read the fast way: the platform's JSON parser and plain checks instead of
 * a JSONC parser and the schema validator, neither of which is loaded. `null` for any file the full reader
 * (`loadFlagsText`) must read — a problem to report, the snapshot or FeatBit format, anything unusual — and for
 * every other file the FlagsData it would give.
 */
export function readPlainFlagsText(text: string): FlagsData | null {
  try {
    return readPlainly(text);
  } catch {
    // A failure here (a problem found late, or a fault of the fast path) is the full reader's to word and place.
    return null;
  }
}

function readPlainly(text: string): FlagsData | null {
  if (text.length > MAX_FLAGS_FILE_BYTES) return null;
  const json = readPlainJson(text);
  const file = json === null ? null : plainConciseFile(json.value);
  if (file === null) return null;
  const compiled = compileConcise(file);
  if ('problems' in compiled) return null;
  return toFlagsData(compiled, 'concise', (_problems: readonly PathProblem[]): never => {
    throw HAS_PROBLEMS;
  });
}
