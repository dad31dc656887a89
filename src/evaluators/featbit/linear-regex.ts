import { RE2JS } from 're2js';
import { toRe2Syntax } from './re2-syntax';

/**
 * A regex condition's search, in time linear in the user value. JavaScript's backtracking engine takes
 * exponential time on patterns like `^(a+)+$` against `aaaa…!`, and a flag check is synchronous: one hostile
 * attribute value (a visitor cookie, a header) would freeze the process, and no timeout can interrupt it. So
 * patterns run on RE2 (re2js: RE2 in plain JavaScript, so the edge build stays free of native code), after
 * plain-text patterns take a string search, which needs no engine at all.
 */
export type LinearSearch = { readonly search: (text: string) => boolean } | { readonly problem: string };

function literalSearch(text: string, atStart: boolean, atEnd: boolean): (value: string) => boolean {
  if (atStart && atEnd) return (value) => value === text;
  if (atStart) return (value) => value.startsWith(text);
  if (atEnd) return (value) => value.endsWith(text);
  return (value) => value.includes(text);
}

/**
 * Compiles `pattern` (JavaScript syntax, no flags) for searching anywhere in a value, as `new RegExp(pattern).test`
 * would; `problem` says why it cannot be used: it is not a valid JavaScript regular expression, or it needs a
 * backtracking feature (backreferences, lookaround) that no linear-time engine runs.
 */
export function compileLinearSearch(pattern: string): LinearSearch {
  const shown = JSON.stringify(pattern);
  try {
    // Only checks the syntax: the JavaScript engine never runs the pattern.
    new RegExp(pattern);
  } catch (error) {
    return { problem: `the regular expression ${shown} is invalid (${(error as Error).message})` };
  }
  const translation = toRe2Syntax(pattern);
  if ('unsupported' in translation) {
    return { problem: `the regular expression ${shown} uses ${translation.unsupported}, which flagwire does not run: its regex engine works in linear time, so no user value can stall the process` };
  }
  const { literal } = translation;
  if (literal !== null) return { search: literalSearch(literal.text, literal.atStart, literal.atEnd) };
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(translation.source);
  } catch (error) {
    return { problem: `the regular expression ${shown} cannot run in flagwire's linear-time regex engine (${(error as Error).message})` };
  }
  return { search: (text) => compiled.test(text) };
}
