import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE, SLASH, STAR } from './char-codes';
import { MAX_NESTING } from './structure';

/** The text's comments and trailing commas, as [start, end) ranges to leave out, and how many member names it has. */
interface Scan {
  readonly cuts: readonly number[];
  readonly names: number;
}

function isWhiteSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/**
 * One pass outside strings: comments, commas before a closing bracket, and colons (in JSON that parses, one per
 * member name). `null`: an unclosed comment or string, or nesting deeper than MAX_NESTING (the full reader
 * places that problem; JSON.parse and the checks after it recurse).
 */
function scan(text: string): Scan | null {
  const cuts: number[] = [];
  let names = 0;
  let pendingComma = -1;
  /** The last character outside white space and comments (a string's closing quote for a string); -1 at the start. */
  let previous = -1;
  let depth = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      pendingComma = -1;
      for (i++; i < length; i++) {
        const inner = text.charCodeAt(i);
        if (inner === BACKSLASH) i++;
        else if (inner === QUOTE) break;
      }
      if (i >= length) return null;
      previous = QUOTE;
    } else if (code === SLASH && text.charCodeAt(i + 1) === SLASH) {
      const end = text.indexOf('\n', i);
      cuts.push(i, end === -1 ? length : end);
      i = end === -1 ? length : end;
    } else if (code === SLASH && text.charCodeAt(i + 1) === STAR) {
      const end = text.indexOf('*/', i + 2);
      if (end === -1) return null;
      cuts.push(i, end + 2);
      i = end + 1;
    } else if (!isWhiteSpace(code)) {
      // A comma must follow a value: `[,]` and `{"a":,}` are errors, not trailing commas.
      if (code === COMMA && (previous === COMMA || previous === COLON || previous === OPEN_BRACE || previous === OPEN_BRACKET || previous === -1)) return null;
      // White space and comments between a comma and a closing bracket leave the comma trailing.
      if ((code === CLOSE_BRACE || code === CLOSE_BRACKET) && pendingComma !== -1) cuts.push(pendingComma, pendingComma + 1);
      pendingComma = code === COMMA ? i : -1;
      if (code === COLON) names++;
      else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
        if (++depth > MAX_NESTING) return null;
      } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) depth--;
      previous = code;
    }
  }
  // A comma's cut can come after a comment's: the ranges are put in order before use.
  return { cuts, names };
}

function withoutCuts(text: string, cuts: readonly number[]): string {
  if (cuts.length === 0) return text;
  const ranges: [number, number][] = [];
  for (let i = 0; i < cuts.length; i += 2) ranges.push([cuts[i] as number, cuts[i + 1] as number]);
  ranges.sort((a, b) => a[0] - b[0]);
  let kept = '';
  let from = 0;
  for (const [start, end] of ranges) {
    kept += text.slice(from, start);
    from = end;
  }
  return kept + text.slice(from);
}

/**
 * Counts the value's member names and makes its objects prototype-free, in place (the parsed objects keep their
 * fast layout; copying each into `Object.create(null)` made every one a dictionary, the slowest part of a
 * load); `null` when a name is `__proto__` or objects nest deeper than the full reader allows.
 */
function adopt(value: unknown): { value: unknown; names: number } | null {
  let names = 0;
  const visit = (item: unknown, depth: number): boolean => {
    if (typeof item !== 'object' || item === null) return true;
    if (depth > MAX_NESTING) return false;
    if (Array.isArray(item)) {
      for (let i = 0; i < item.length; i++) if (!visit(item[i], depth + 1)) return false;
      return true;
    }
    for (const name in item) {
      if (!Object.hasOwn(item, name) || name === '__proto__') return false;
      names++;
      if (!visit((item as Record<string, unknown>)[name], depth + 1)) return false;
    }
    Object.setPrototypeOf(item, null);
    return true;
  };
  return visit(value, 1) ? { value, names } : null;
}

/**
 * The member names of a text JSON.parse accepted: its colons outside strings, found by jumping from quote to
 * quote with `indexOf` (each colon and quote looked at once) rather than by reading every character.
 */
function namesOfStrictJson(text: string): number {
  let names = 0;
  let colon = text.indexOf(':');
  let from = 0;
  while (colon !== -1) {
    const open = text.indexOf('"', from);
    const gapEnd = open === -1 ? text.length : open;
    for (; colon !== -1 && colon < gapEnd; colon = text.indexOf(':', colon + 1)) names++;
    if (open === -1) break;
    let close = text.indexOf('"', open + 1);
    while (close !== -1 && isEscaped(text, close)) close = text.indexOf('"', close + 1);
    // JSON.parse accepted the text, so every string closes.
    from = close + 1;
    if (colon !== -1 && colon < from) colon = text.indexOf(':', from);
  }
  return names;
}

/** Whether the character at `at` follows an odd number of backslashes. */
function isEscaped(text: string, at: number): boolean {
  let backslashes = 0;
  while (at - backslashes - 1 >= 0 && text.charCodeAt(at - backslashes - 1) === BACKSLASH) backslashes++;
  return backslashes % 2 === 1;
}

const NOT_STRICT = Symbol('not strict JSON');

function parsedStrictly(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_STRICT;
  }
}

/**
 * Reads a flags file's text (JSON with comments and trailing commas) with the platform's JSON parser: the path a
 * well-formed file takes, with no JSONC parser to load. `null` whenever the full reader must look — a syntax
 * error, a name given twice (JSON.parse keeps the last without a word; told by counting names), `__proto__` —
 * so that it words the problem and places it. The value is the full reader's: objects without a prototype.
 */
export function readPlainJson(text: string): { readonly value: unknown } | null {
  // Plain JSON (most files written by tools) needs no cuts: parsed at once, its names counted without a scan.
  const strict = parsedStrictly(text);
  if (strict !== NOT_STRICT) {
    const adopted = adopt(strict);
    return adopted !== null && adopted.names === namesOfStrictJson(text) ? { value: adopted.value } : null;
  }
  const scanned = scan(text);
  if (scanned === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(withoutCuts(text, scanned.cuts));
  } catch {
    return null;
  }
  const adopted = adopt(parsed);
  return adopted !== null && adopted.names === scanned.names ? { value: adopted.value } : null;
}
