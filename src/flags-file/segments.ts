import { closestName } from '../core/internal/closest';
import { ExpressionError } from './expression';

/**
 * Segments: named lists of conditions that rules reuse with `in segment <name>`. They are inlined when the file
 * is compiled (the Schematic rule carries the segment's conditions beside its own), so the engine never sees them.
 */
const REFERENCE = /^(not\s+)?in\s+segment(?:\s+(.*))?$/s;

/**
 * The segment a condition names (`in segment beta`, `in segment "early access"`), or null when the condition is
 * not a segment reference.
 * @throws ExpressionError for `not in segment` (a rule's conditions must all hold; a negated list of them is not a
 * condition Schematic can carry) and a reference without a name.
 */
export function segmentReference(condition: string): string | null {
  const match = REFERENCE.exec(condition.trim());
  if (!match) return null;
  if (match[1]) throw new ExpressionError('"not in segment" is not supported: write a rule for the segment that serves the other value first');
  const name = (match[2] ?? '').trim();
  if (name === '') throw new ExpressionError('name the segment: in segment <name>');
  if (!name.startsWith('"')) return name;
  try {
    return JSON.parse(name) as string;
  } catch {
    throw new ExpressionError(`cannot read the segment name ${name} (a quoted name is a JSON string)`);
  }
}

/** Why a named segment cannot be found, with the name most likely meant. */
export function unknownSegment(name: string, known: readonly string[]): string {
  if (known.length === 0) return `unknown segment "${name}": define it under "segments"`;
  const suggestion = closestName(name, known);
  return suggestion ? `unknown segment "${name}" (did you mean "${suggestion}"?)` : `unknown segment "${name}": the segments are ${known.map((k) => `"${k}"`).join(', ')}`;
}
