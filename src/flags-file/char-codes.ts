/** The character codes the flags file's one-pass scanners look for (structure.ts, plain-json.ts). */
export const QUOTE = 0x22; // "
export const BACKSLASH = 0x5c;
export const NEWLINE = 0x0a;
export const SLASH = 0x2f;
export const STAR = 0x2a;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
