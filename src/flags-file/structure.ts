import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, NEWLINE, OPEN_BRACE, OPEN_BRACKET, QUOTE, SLASH, STAR } from './char-codes';

/**
 * How deep objects and arrays may nest. The deepest legitimate file, a snapshot's trait definition inside
 * a condition group, is about ten levels; parsers and validators recurse, so thousands would overflow the stack.
 */
export const MAX_NESTING = 64;

/**
 * The offset of the first `{` or `[` nested deeper than MAX_NESTING, or -1. One pass that skips strings
 * and comments, run before any parser that recurses.
 */
export function tooDeepAt(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === QUOTE) {
      // To the closing quote; a line break ends an unclosed string as the parser's scanner does.
      for (i++; i < text.length && text.charCodeAt(i) !== QUOTE && text.charCodeAt(i) !== NEWLINE; i++) {
        if (text.charCodeAt(i) === BACKSLASH) i++;
      }
    } else if (char === SLASH && text.charCodeAt(i + 1) === SLASH) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (char === SLASH && text.charCodeAt(i + 1) === STAR) {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
    } else if (char === OPEN_BRACE || char === OPEN_BRACKET) {
      if (++depth > MAX_NESTING) return i;
    } else if ((char === CLOSE_BRACE || char === CLOSE_BRACKET) && depth > 0) {
      depth--;
    }
  }
  return -1;
}
