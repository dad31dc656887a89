import type { Node } from 'jsonc-parser';
import type { FlagsFileProblem } from '../errors';
import type { Locator, Path } from './locator';

/**
 * How deep objects and arrays may nest. The deepest legitimate file, a snapshot's trait definition inside
 * a condition group, is about ten levels; parsers and validators recurse, so thousands would overflow the stack.
 */
export const MAX_NESTING = 64;

const QUOTE = 0x22; // "
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const SLASH = 0x2f;
const STAR = 0x2a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

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

/**
 * Names the parsed value must not have: `__proto__`, which would become an object's prototype rather than a
 * member, and a name given twice in one object, where a JSON parser silently keeps the last.
 */
export function nameProblems(tree: Node | undefined, locator: Locator): FlagsFileProblem[] {
  const problems: FlagsFileProblem[] = [];
  const visit = (node: Node, path: Path): void => {
    if (node.type === 'array') {
      node.children?.forEach((child, i) => {
        if (child.type === 'object' || child.type === 'array') visit(child, [...path, i]);
      });
      return;
    }
    if (node.type !== 'object') return;
    const seen = new Map<string, Node>();
    for (const property of node.children ?? []) {
      const [nameNode, value] = property.children ?? [];
      if (!nameNode || typeof nameNode.value !== 'string') continue;
      const name = nameNode.value;
      const at = () => ({ ...locator.offset(nameNode.offset), path: [...path, name].join('.') });
      const first = seen.get(name);
      if (name === '__proto__') {
        problems.push({ ...at(), message: '__proto__ is not allowed as a name' });
      } else if (first) {
        const { line, column } = locator.offset(first.offset);
        const what = path.length === 1 && path[0] === 'flags' ? `flag "${name}" is defined twice` : `"${name}" appears twice in this object`;
        problems.push({ ...at(), message: `${what} (first at line ${line}, column ${column})` });
      } else {
        seen.set(name, nameNode);
      }
      if (value?.type === 'object' || value?.type === 'array') visit(value, [...path, name]);
    }
  };
  if (tree) visit(tree, []);
  return problems;
}
