/**
 * Reading a condition's text, by hand and in one pass: a regex with overlapping `\s*` took seconds on a
 * condition padded with spaces, and the flags file is input a watched process must survive.
 */

/** A condition cut into its parts, before any value is read. */
export interface ConditionShape {
  readonly entity: 'company' | 'user';
  readonly attribute: string;
  /** `day`, `week` or `month` after `per`, when given. */
  readonly per: string | undefined;
  /** One of `= != > >= < <= in`, `not in`, `is set`, `is not set` (`==` is read as `=`). */
  readonly operator: string;
  /** The text after the operator, untrimmed. */
  readonly rest: string;
}

/** A condition that cannot be read; the message says what is wrong and how to write it. */
export class ExpressionError extends Error {}

const SYMBOLS = ['==', '!=', '>=', '<=', '=', '>', '<'] as const;
const PERIOD_WORDS: ReadonlySet<string> = new Set(['day', 'week', 'month']);

function isSpace(char: string | undefined): boolean {
  return char !== undefined && /\s/.test(char);
}

function skipSpaces(text: string, at: number): number {
  let i = at;
  while (isSpace(text[i])) i++;
  return i;
}

/** The run of letters at `at` (empty when there is none). */
function wordAt(text: string, at: number): string {
  let i = at;
  while (i < text.length && /[A-Za-z]/.test(text[i] as string)) i++;
  return text.slice(at, i);
}

/**
 * The index just past the string quoted at `at` (the end of the text when it is not closed): a double-quoted one
 * is a JSON string, with escapes; a single-quoted one has none.
 */
export function skipQuoted(text: string, at: number): number {
  const quote = text[at];
  let i = at + 1;
  while (i < text.length) {
    const char = text[i];
    if (char === '\\' && quote === '"') i += 2;
    else if (char === quote) return i + 1;
    else i++;
  }
  return text.length;
}

const OPERATOR_SIGNS = new Set(['=', '!', '<', '>']);

/** Whether text starts with a sign operators are made of: a value that does is an operator written twice. */
export function startsWithOperatorSign(text: string): boolean {
  return OPERATOR_SIGNS.has(text[0] as string);
}

/** The operator a run of signs that is none most likely meant: `=>` and `>==` meant `>=`, `<>` and `!==` meant `!=`. */
function meantOperator(signs: string): string {
  if (signs.includes('!') || (signs.includes('<') && signs.includes('>'))) return '!=';
  const equals = signs.includes('=') ? '=' : '';
  if (signs.includes('>')) return `>${equals}`;
  if (signs.includes('<')) return `<${equals}`;
  return '=';
}

/** A word operator (`in`, `not in`, `is set`, `is not set`) at `at`, and where its value starts. */
function wordOperator(text: string, at: number): { operator: string; end: number } | null {
  // Each word ends at a space: "inside" is no "in".
  const word = (i: number, expected: string): number | null => (wordAt(text, i) === expected ? i + expected.length : null);
  const spacedWord = (i: number | null, expected: string): number | null => {
    if (i === null || !isSpace(text[i])) return null;
    return word(skipSpaces(text, i), expected);
  };
  const afterIn = word(at, 'in');
  if (afterIn !== null && isSpace(text[afterIn])) return { operator: 'in', end: afterIn };
  const afterNotIn = spacedWord(word(at, 'not'), 'in');
  if (afterNotIn !== null && isSpace(text[afterNotIn])) return { operator: 'not in', end: afterNotIn };
  const afterIs = word(at, 'is');
  const afterIsSet = spacedWord(afterIs, 'set');
  if (afterIsSet !== null) return { operator: 'is set', end: afterIsSet };
  const afterIsNotSet = spacedWord(spacedWord(afterIs, 'not'), 'set');
  if (afterIsNotSet !== null) return { operator: 'is not set', end: afterIsNotSet };
  return null;
}

/**
 * Cuts `<company|user>.<attribute> [per day|week|month] <operator> <value>` into its parts, or null when the
 * text has no such shape. The attribute is letters, digits and `_`, then also `.` and `-`.
 */
export function readShape(text: string): ConditionShape | null {
  const dot = text.indexOf('.');
  const entity = text.slice(0, dot);
  if (entity !== 'company' && entity !== 'user') return null;
  let i = dot + 1;
  if (!/[A-Za-z0-9_]/.test(text[i] ?? '')) return null;
  while (i < text.length && /[A-Za-z0-9_.-]/.test(text[i] as string)) i++;
  const attribute = text.slice(dot + 1, i);
  let next = skipSpaces(text, i);
  let spaced = next > i;
  let per: string | undefined;
  if (spaced && wordAt(text, next) === 'per' && isSpace(text[next + 3])) {
    const at = skipSpaces(text, next + 3);
    per = wordAt(text, at);
    if (!PERIOD_WORDS.has(per)) throw new ExpressionError('"per" takes day, week or month');
    i = at + per.length;
    next = skipSpaces(text, i);
    spaced = next > i;
  }
  let signsEnd = next;
  while (OPERATOR_SIGNS.has(text[signsEnd] as string)) signsEnd++;
  if (signsEnd > next) {
    // The whole run of signs is the operator: ">== 10" must not read as ">=" against the text "= 10".
    const signs = text.slice(next, signsEnd);
    if (!(SYMBOLS as readonly string[]).includes(signs)) {
      throw new ExpressionError(`"${signs}" is not an operator (did you mean "${meantOperator(signs)}"?): write one of = != > >= < <=`);
    }
    return { entity, attribute, per, operator: signs === '==' ? '=' : signs, rest: text.slice(signsEnd) };
  }
  // Word operators need a space before them: "company.planin [a]" is no condition.
  const word = spaced ? wordOperator(text, next) : null;
  return word ? { entity, attribute, per, operator: word.operator, rest: text.slice(word.end) } : null;
}

/**
 * The items of a list's inside, split on commas outside quotes; untrimmed, empty ones kept. A single quote opens
 * a quote only where an item starts, so an apostrophe inside a word (`O'Brien`) is text.
 */
export function splitList(inner: string): string[] {
  const items: string[] = [];
  let start = 0;
  let i = 0;
  let itemStart = true;
  while (i < inner.length) {
    const char = inner[i] as string;
    if (char === '"' || (char === "'" && itemStart)) i = skipQuoted(inner, i);
    else if (char === ',') {
      items.push(inner.slice(start, i));
      start = ++i;
      itemStart = true;
      continue;
    } else i++;
    itemStart = itemStart && isSpace(char);
  }
  items.push(inner.slice(start));
  return items;
}

/** Where the bare words `and`/`or` (any case, outside quotes) are: a sign of two conditions in one string. */
export function findConnectives(text: string): { word: 'and' | 'or'; start: number; end: number }[] {
  const found: { word: 'and' | 'or'; start: number; end: number }[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    // Here a word starts: a single quote opens a quote only there (`O'Brien and` is still two words).
    if (char === '"' || char === "'") {
      i = skipQuoted(text, i);
      continue;
    }
    if (isSpace(char) || char === '[' || char === ']' || char === ',') {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && !/[\s[\],"]/.test(text[i] as string)) i++;
    const word = text.slice(start, i).toLowerCase();
    if (word === 'and' || word === 'or') found.push({ word, start, end: i });
  }
  return found;
}
