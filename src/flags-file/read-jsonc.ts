import { type ParseErrorCode, visit } from 'jsonc-parser';
import type { FlagsFileProblem } from '../core/errors';
import type { Locator } from './locator';

/** What one pass over a flags file's text finds. */
export interface ReadJsonc {
  /** The value, its objects without a prototype: no name in the file can reach Object.prototype's members. */
  readonly value: unknown;
  /** The first syntax error: later ones are usually its echoes. */
  readonly syntaxError: { readonly error: ParseErrorCode; readonly offset: number } | null;
  /**
   * Names the value must not have: `__proto__`, which would become an object's prototype rather than a member,
   * and a name given twice in one object, where a parser silently keeps the last.
   */
  readonly nameProblems: readonly FlagsFileProblem[];
}

interface Frame {
  readonly container: Record<string, unknown> | unknown[];
  /** Where it sits in the one around it: its name, or its index in a list. */
  readonly key: string | number;
  /** The name of the member being read, in an object. */
  name: string | null;
  /** Where each name of an object was first given. */
  readonly seen: Map<string, number> | null;
}

/**
 * Reads JSON with comments and trailing commas in one pass, without a syntax tree: a tree of a 31 MB file held
 * 1 GB, and took three passes to check and turn into a value. A tree is built only to place problems found later.
 */
export function readJsonc(text: string, locator: Locator): ReadJsonc {
  let value: unknown;
  let syntaxError: ReadJsonc['syntaxError'] = null;
  const nameProblems: FlagsFileProblem[] = [];
  const stack: Frame[] = [];
  const add = (item: unknown): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) value = item;
    else if (Array.isArray(top.container)) top.container.push(item);
    else if (top.name !== null) top.container[top.name] = item;
  };
  const open = (container: Frame['container']): void => {
    const parent = stack[stack.length - 1];
    const key = parent === undefined ? '' : Array.isArray(parent.container) ? parent.container.length : (parent.name ?? '');
    add(container);
    stack.push({ container, key, name: null, seen: Array.isArray(container) ? null : new Map() });
  };
  visit(
    text,
    {
      onObjectBegin: () => open(Object.create(null) as Record<string, unknown>),
      onArrayBegin: () => open([]),
      onObjectEnd: () => void stack.pop(),
      onArrayEnd: () => void stack.pop(),
      onLiteralValue: (literal: unknown) => add(literal),
      onObjectProperty: (name, offset) => {
        const top = stack[stack.length - 1] as Frame;
        top.name = name;
        const first = top.seen?.get(name);
        if (name === '__proto__' || first !== undefined) nameProblems.push(nameProblem(name, offset, first, { path: stack.slice(1).map((frame) => frame.key), locator }));
        else top.seen?.set(name, offset);
      },
      onError: (error, offset) => {
        syntaxError ??= { error, offset };
      },
    },
    { allowTrailingComma: true },
  );
  return { value, syntaxError, nameProblems };
}

function nameProblem(name: string, offset: number, first: number | undefined, { path, locator }: { path: readonly (string | number)[]; locator: Locator }): FlagsFileProblem {
  const at = { ...locator.offset(offset), path: [...path, name].join('.') };
  if (name === '__proto__') return { ...at, message: '__proto__ is not allowed as a name' };
  const { line, column } = locator.offset(first as number);
  const what = path.length === 1 && path[0] === 'flags' ? `flag "${name}" is defined twice` : `"${name}" appears twice in this object`;
  return { ...at, message: `${what} (first at line ${line}, column ${column})` };
}
