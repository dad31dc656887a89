import type { ParsedFeatBitFlag, ParsedFeatBitSegment } from '../../evaluators/featbit';

/** How many examples a frame's summary line quotes. */
const EXAMPLES_PER_LINE = 3;

/**
 * What one frame had that the log should hear about: rows skipped, and flags stored with conditions that cannot
 * be evaluated (a regex the linear-time engine refuses, a bad list). Told in one line per frame, however many
 * rows: a frame of a million bad rows must not become a million log lines.
 */
export class FrameReport {
  private skipped = 0;
  private unusable = 0;
  private readonly examples: string[] = [];

  skip(kind: 'flag' | 'segment', label: string, problem: string): void {
    this.skipped++;
    this.example(`${kind} ${label}: ${problem}`);
  }

  /** A row stored fresh (not one seen before, which was named then): named when it has unusable conditions. */
  stored(live: ParsedFeatBitFlag | ParsedFeatBitSegment): void {
    const [kind, name, problems] = unusableIn(live);
    if (problems.length === 0) return;
    this.unusable++;
    this.example(`${kind} ${JSON.stringify(name)}: ${problems[0]}`);
  }

  private example(text: string): void {
    if (this.examples.length < EXAMPLES_PER_LINE) this.examples.push(text);
  }

  /** The frame's one line, or null when there is nothing to say. */
  line(what: string, rows: number): string | null {
    const parts: string[] = [];
    if (this.skipped > 0) parts.push(`skipped ${this.skipped} of ${rows} rows that do not parse`);
    if (this.unusable > 0) parts.push(`stored ${this.unusable} with conditions that cannot be evaluated (users reaching them get an error)`);
    if (parts.length === 0) return null;
    const more = this.skipped + this.unusable - this.examples.length;
    return `FeatBit ${what}: ${parts.join('; ')} — ${this.examples.join('; ')}${more > 0 ? `; and ${more} more` : ''}`;
  }
}

/** The problems of conditions a parsed flag or segment keeps (each names its place in the entity). */
function conditionProblems(conditions: Iterable<{ readonly problem: string | null }>): string[] {
  const problems: string[] = [];
  for (const condition of conditions) if (condition.problem !== null) problems.push(condition.problem);
  return problems;
}

/** A live row's kind, name and the problems of its conditions. */
function unusableIn(row: ParsedFeatBitFlag | ParsedFeatBitSegment): ['flag' | 'segment', string, string[]] {
  if ('key' in row) return ['flag', row.key, conditionProblems(row.rules.flatMap((rule) => rule.conditions))];
  return ['segment', row.id, conditionProblems(row.rules.flat())];
}

