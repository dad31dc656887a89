import { InvalidEntityError } from '../core/errors';
import type { Path, PathProblem } from './locator';

/** `rules[0].conditions[1].metric_value` → ['rules', 0, 'conditions', 1, 'metric_value'] */
function splitEntityPath(path: string): (string | number)[] {
  return [...path.matchAll(/[^.[\]]+/g)].map(([part]) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * Parses entities of a file one by one, collecting what is wrong with each as a problem at its place in the
 * file (the entity's path, then the path the parser names inside it), so every problem is reported at once.
 */
export function locatedParser(): { parseAt: <T>(prefix: Path, parse: () => T) => T | null; readonly problems: PathProblem[] } {
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
  return { parseAt, problems };
}
