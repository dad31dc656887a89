/**
 * A FeatBit regex condition's pattern, read as JavaScript reads `new RegExp(value)` (no flags, not unicode mode,
 * as FeatBit's Node SDK builds it) and written out in RE2's syntax, so the linear-time engine matches what
 * JavaScript would. Where the two syntaxes read the same text differently, the JavaScript meaning is written
 * out explicitly: `.` excludes every JavaScript line terminator, `\s` is JavaScript's white space, identity
 * escapes (`\a`, `\z`, `\p`…) are the letter itself, `{` that starts no quantifier is a literal. What RE2
 * cannot run at all (backreferences, lookaround, legacy octal escapes) is named instead.
 *
 * The pattern must already be valid JavaScript (check with `new RegExp`): this reader assumes it.
 */
export type Re2Translation =
  /** `literal`: the pattern is plain text, maybe anchored, so a string search answers it without an engine. */
  | { readonly source: string; readonly literal: LiteralPattern | null }
  | { readonly unsupported: string };

export interface LiteralPattern {
  readonly text: string;
  readonly atStart: boolean;
  readonly atEnd: boolean;
}

/** JavaScript's `\s`: WhiteSpace and LineTerminator code points, as ranges. */
const WHITE_SPACE: readonly (readonly [number, number])[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
];
const MAX_CODE_POINT = 0x10ffff;

const hex = (code: number) => `\\x{${code.toString(16)}}`;
const rangeText = ([lo, hi]: readonly [number, number]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`);

function complement(ranges: readonly (readonly [number, number])[]): [number, number][] {
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

const SPACE_ITEMS = WHITE_SPACE.map(rangeText).join('');
const NON_SPACE_ITEMS = complement(WHITE_SPACE).map(rangeText).join('');
/** JavaScript's `.` without the `s` flag: anything but \n, \r, U+2028 and U+2029. */
const DOT = `[^${hex(0x0a)}${hex(0x0d)}${hex(0x2028)}${hex(0x2029)}]`;
const ANYTHING = `[${hex(0)}-${hex(MAX_CODE_POINT)}]`;
const NOTHING = `[^${hex(0)}-${hex(MAX_CODE_POINT)}]`;

const CONTROL_ESCAPES: Readonly<Record<string, number>> = { t: 0x09, n: 0x0a, v: 0x0b, f: 0x0c, r: 0x0d };
const isHex = (text: string) => /^[0-9a-fA-F]+$/.test(text);
const isLetter = (ch: string | undefined) => ch !== undefined && /^[A-Za-z]$/.test(ch);
const QUANTIFIER_BRACES = /^\{\d+(?:,\d*)?\}/;

class Unsupported extends Error {}

/** One piece of a class: a single code point (may bound a range), or a set written out already. */
type ClassAtom = { code: number } | { items: string };

/** Reads one pattern; `pos` walks it. Surrogate pairs are kept whole as one code point, as RE2 reads text. */
class PatternReader {
  private pos = 0;
  private readonly hasNamedGroups: boolean;
  /** Every token so far was plain text (besides a leading `^`), so the pattern may be a literal. */
  private literalSoFar = true;
  private literalText = '';
  private atStart = false;
  private atEnd = false;

  constructor(private readonly pattern: string) {
    this.hasNamedGroups = /\(\?<[^=!]/.test(pattern);
  }

  translate(): Re2Translation {
    let out = '';
    const n = this.pattern.length;
    while (this.pos < n) out += this.token();
    const literal = this.literalSoFar ? { text: this.literalText, atStart: this.atStart, atEnd: this.atEnd } : null;
    return { source: out, literal };
  }

  private notLiteral(): void {
    this.literalSoFar = false;
  }

  private addLiteral(code: number): string {
    if (this.atEnd) this.notLiteral();
    this.literalText += String.fromCodePoint(code);
    return hex(code);
  }

  private codePointAt(index: number): number {
    return this.pattern.codePointAt(index) ?? 0;
  }

  private token(): string {
    const p = this.pattern;
    const ch = p[this.pos]!;
    switch (ch) {
      case '\\':
        return this.escapeOutside();
      case '[':
        this.notLiteral();
        return this.characterClass();
      case '(':
        this.notLiteral();
        return this.group();
      case '.':
        this.pos++;
        this.notLiteral();
        return DOT;
      case '^':
        this.pos++;
        if (this.pos === 1) this.atStart = true;
        else this.notLiteral();
        return '^';
      case '$':
        this.pos++;
        if (this.pos === p.length && !this.atEnd) this.atEnd = true;
        else this.notLiteral();
        return '$';
      case '{': {
        const braces = QUANTIFIER_BRACES.exec(p.slice(this.pos));
        if (braces === null) {
          this.pos++;
          return this.addLiteral(0x7b);
        }
        this.pos += braces[0].length;
        this.notLiteral();
        return braces[0];
      }
      case '|':
      case ')':
      case '*':
      case '+':
      case '?':
        this.pos++;
        this.notLiteral();
        return ch;
      default: {
        const code = this.codePointAt(this.pos);
        this.pos += code > 0xffff ? 2 : 1;
        return this.addLiteral(code);
      }
    }
  }

  private group(): string {
    const p = this.pattern;
    this.pos++;
    if (p[this.pos] !== '?') return '(?:';
    const after = p.slice(this.pos, this.pos + 3);
    if (after.startsWith('?:')) {
      this.pos += 2;
      return '(?:';
    }
    if (after.startsWith('?=') || after.startsWith('?!')) throw new Unsupported('a lookahead (?= or ?!)');
    if (after === '?<=' || after === '?<!') throw new Unsupported('a lookbehind (?<= or ?<!)');
    // A named group: only whether the pattern matches is asked, so it need not capture.
    this.pos = p.indexOf('>', this.pos) + 1;
    return '(?:';
  }

  /** An escape's code point when it denotes one character (both inside and outside classes), else null. */
  private characterEscape(): number | null {
    const p = this.pattern;
    const ch = p[this.pos + 1]!;
    if (ch in CONTROL_ESCAPES) {
      this.pos += 2;
      return CONTROL_ESCAPES[ch]!;
    }
    if (ch === '0' && !/[0-9]/.test(p[this.pos + 2] ?? '')) {
      this.pos += 2;
      return 0;
    }
    if (/[0-9]/.test(ch)) throw new Unsupported(`a backreference or octal escape (\\${ch})`);
    if (ch === 'x' && isHex(p.slice(this.pos + 2, this.pos + 4)) && p.slice(this.pos + 2, this.pos + 4).length === 2) {
      this.pos += 4;
      return Number.parseInt(p.slice(this.pos - 2, this.pos), 16);
    }
    if (ch === 'u' && p.slice(this.pos + 2, this.pos + 6).length === 4 && isHex(p.slice(this.pos + 2, this.pos + 6))) {
      const high = Number.parseInt(p.slice(this.pos + 2, this.pos + 6), 16);
      this.pos += 6;
      const low = p.slice(this.pos, this.pos + 6);
      // A surrogate pair written as two escapes is one character to RE2, as the text it searches is read.
      if (high >= 0xd800 && high <= 0xdbff && /^\\u[dD][c-fC-F][0-9a-fA-F]{2}$/.test(low)) {
        this.pos += 6;
        return 0x10000 + ((high - 0xd800) << 10) + (Number.parseInt(low.slice(2), 16) - 0xdc00);
      }
      return high;
    }
    if (ch === 'c' && isLetter(p[this.pos + 2])) {
      this.pos += 3;
      return p.charCodeAt(this.pos - 1) % 32;
    }
    if (ch === 'k' && this.hasNamedGroups) throw new Unsupported('a backreference (\\k<name>)');
    return null;
  }

  private escapeOutside(): string {
    const p = this.pattern;
    const ch = p[this.pos + 1]!;
    if ('dDwWbB'.includes(ch)) {
      this.pos += 2;
      this.notLiteral();
      return `\\${ch}`;
    }
    if (ch === 's' || ch === 'S') {
      this.pos += 2;
      this.notLiteral();
      return ch === 's' ? `[${SPACE_ITEMS}]` : `[${NON_SPACE_ITEMS}]`;
    }
    const code = this.characterEscape();
    if (code !== null) return this.addLiteral(code);
    // An identity escape (`\.`, `\a`, `\c` before a non-letter…): the character itself.
    const identity = ch === 'c' ? 0x5c : this.codePointAt(this.pos + 1);
    this.pos += ch === 'c' ? 1 : identity > 0xffff ? 3 : 2;
    return this.addLiteral(identity);
  }

  private classAtom(): ClassAtom {
    const p = this.pattern;
    if (p[this.pos] !== '\\') {
      const code = this.codePointAt(this.pos);
      this.pos += code > 0xffff ? 2 : 1;
      return { code };
    }
    const ch = p[this.pos + 1]!;
    if ('dDwW'.includes(ch)) {
      this.pos += 2;
      return { items: `\\${ch}` };
    }
    if (ch === 's' || ch === 'S') {
      this.pos += 2;
      return { items: ch === 's' ? SPACE_ITEMS : NON_SPACE_ITEMS };
    }
    if (ch === 'b') {
      this.pos += 2;
      return { code: 0x08 };
    }
    const code = this.characterEscape();
    if (code !== null) return { code };
    const identity = ch === 'c' ? 0x5c : this.codePointAt(this.pos + 1);
    this.pos += ch === 'c' ? 1 : identity > 0xffff ? 3 : 2;
    return { code: identity };
  }

  private characterClass(): string {
    const p = this.pattern;
    this.pos++;
    const negated = p[this.pos] === '^';
    if (negated) this.pos++;
    let items = '';
    while (p[this.pos] !== ']') {
      const first = this.classAtom();
      // A range needs a character on both ends; `-` next to a class escape is a literal, as JavaScript reads it.
      if (p[this.pos] === '-' && p[this.pos + 1] !== ']' && p[this.pos + 1] !== undefined) {
        const save = this.pos;
        this.pos++;
        const last = this.classAtom();
        if ('code' in first && 'code' in last) {
          items += rangeText([first.code, last.code]);
          continue;
        }
        this.pos = save;
      }
      items += 'code' in first ? hex(first.code) : first.items;
    }
    this.pos++;
    if (items === '') return negated ? ANYTHING : NOTHING;
    return `[${negated ? '^' : ''}${items}]`;
  }
}

/** Rewrites a valid JavaScript pattern in RE2's syntax, or names what RE2 cannot run. */
export function toRe2Syntax(pattern: string): Re2Translation {
  try {
    return new PatternReader(pattern).translate();
  } catch (error) {
    if (error instanceof Unsupported) return { unsupported: error.message };
    throw error;
  }
}
