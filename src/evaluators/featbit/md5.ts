import { writeUtf8 } from './utf8';

/**
 * The first 32 bits of MD5 (RFC 1321) over a string's UTF-8 bytes: all FeatBit's dispatch needs. Pure
 * JavaScript, so the engine stays free of Node built-ins (the edge entry shares the server's chunks), and several
 * times faster than `node:crypto` on the short inputs dispatch hashes: an ASCII input of up to 55 characters
 * (a flag key plus a user key, typically) is one block, packed straight from its char codes. Scratch buffers are
 * reused between calls; nothing escapes, so the function stays pure.
 */

// One message block as sixteen little-endian words.
const w = new Int32Array(16);
const state = new Int32Array(4);
let bytes = new Uint8Array(256);

const INITIAL_A = 0x67452301;
const INITIAL_B = 0xefcdab89 | 0;
const INITIAL_C = 0x98badcfe | 0;
const INITIAL_D = 0x10325476;

/**
 * Runs the steps of RFC 1321 over the block in `w`, adding the result into `state` (only into its first word
 * for the last block). Each step is
 * a = b + ((a + f(b, c, d) + word + sine) <<< shift) with the registers' roles rotating, written out in full
 * with RFC 1321's constants: a loop over tables is half as fast, and dispatch hashes on every rollout.
 */
function compress(lastBlock: boolean): void {
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  // Round 1: F(b, c, d) = (b & c) | (~b & d).
  a = (a + ((b & c) | (~b & d)) + w[0]! + 0xd76aa478) | 0;
  a = (((a << 7) | (a >>> 25)) + b) | 0;
  d = (d + ((a & b) | (~a & c)) + w[1]! + 0xe8c7b756) | 0;
  d = (((d << 12) | (d >>> 20)) + a) | 0;
  c = (c + ((d & a) | (~d & b)) + w[2]! + 0x242070db) | 0;
  c = (((c << 17) | (c >>> 15)) + d) | 0;
  b = (b + ((c & d) | (~c & a)) + w[3]! + 0xc1bdceee) | 0;
  b = (((b << 22) | (b >>> 10)) + c) | 0;
  a = (a + ((b & c) | (~b & d)) + w[4]! + 0xf57c0faf) | 0;
  a = (((a << 7) | (a >>> 25)) + b) | 0;
  d = (d + ((a & b) | (~a & c)) + w[5]! + 0x4787c62a) | 0;
  d = (((d << 12) | (d >>> 20)) + a) | 0;
  c = (c + ((d & a) | (~d & b)) + w[6]! + 0xa8304613) | 0;
  c = (((c << 17) | (c >>> 15)) + d) | 0;
  b = (b + ((c & d) | (~c & a)) + w[7]! + 0xfd469501) | 0;
  b = (((b << 22) | (b >>> 10)) + c) | 0;
  a = (a + ((b & c) | (~b & d)) + w[8]! + 0x698098d8) | 0;
  a = (((a << 7) | (a >>> 25)) + b) | 0;
  d = (d + ((a & b) | (~a & c)) + w[9]! + 0x8b44f7af) | 0;
  d = (((d << 12) | (d >>> 20)) + a) | 0;
  c = (c + ((d & a) | (~d & b)) + w[10]! + 0xffff5bb1) | 0;
  c = (((c << 17) | (c >>> 15)) + d) | 0;
  b = (b + ((c & d) | (~c & a)) + w[11]! + 0x895cd7be) | 0;
  b = (((b << 22) | (b >>> 10)) + c) | 0;
  a = (a + ((b & c) | (~b & d)) + w[12]! + 0x6b901122) | 0;
  a = (((a << 7) | (a >>> 25)) + b) | 0;
  d = (d + ((a & b) | (~a & c)) + w[13]! + 0xfd987193) | 0;
  d = (((d << 12) | (d >>> 20)) + a) | 0;
  c = (c + ((d & a) | (~d & b)) + w[14]! + 0xa679438e) | 0;
  c = (((c << 17) | (c >>> 15)) + d) | 0;
  b = (b + ((c & d) | (~c & a)) + w[15]! + 0x49b40821) | 0;
  b = (((b << 22) | (b >>> 10)) + c) | 0;

  // Round 2: G(b, c, d) = (b & d) | (c & ~d).
  a = (a + ((b & d) | (c & ~d)) + w[1]! + 0xf61e2562) | 0;
  a = (((a << 5) | (a >>> 27)) + b) | 0;
  d = (d + ((a & c) | (b & ~c)) + w[6]! + 0xc040b340) | 0;
  d = (((d << 9) | (d >>> 23)) + a) | 0;
  c = (c + ((d & b) | (a & ~b)) + w[11]! + 0x265e5a51) | 0;
  c = (((c << 14) | (c >>> 18)) + d) | 0;
  b = (b + ((c & a) | (d & ~a)) + w[0]! + 0xe9b6c7aa) | 0;
  b = (((b << 20) | (b >>> 12)) + c) | 0;
  a = (a + ((b & d) | (c & ~d)) + w[5]! + 0xd62f105d) | 0;
  a = (((a << 5) | (a >>> 27)) + b) | 0;
  d = (d + ((a & c) | (b & ~c)) + w[10]! + 0x02441453) | 0;
  d = (((d << 9) | (d >>> 23)) + a) | 0;
  c = (c + ((d & b) | (a & ~b)) + w[15]! + 0xd8a1e681) | 0;
  c = (((c << 14) | (c >>> 18)) + d) | 0;
  b = (b + ((c & a) | (d & ~a)) + w[4]! + 0xe7d3fbc8) | 0;
  b = (((b << 20) | (b >>> 12)) + c) | 0;
  a = (a + ((b & d) | (c & ~d)) + w[9]! + 0x21e1cde6) | 0;
  a = (((a << 5) | (a >>> 27)) + b) | 0;
  d = (d + ((a & c) | (b & ~c)) + w[14]! + 0xc33707d6) | 0;
  d = (((d << 9) | (d >>> 23)) + a) | 0;
  c = (c + ((d & b) | (a & ~b)) + w[3]! + 0xf4d50d87) | 0;
  c = (((c << 14) | (c >>> 18)) + d) | 0;
  b = (b + ((c & a) | (d & ~a)) + w[8]! + 0x455a14ed) | 0;
  b = (((b << 20) | (b >>> 12)) + c) | 0;
  a = (a + ((b & d) | (c & ~d)) + w[13]! + 0xa9e3e905) | 0;
  a = (((a << 5) | (a >>> 27)) + b) | 0;
  d = (d + ((a & c) | (b & ~c)) + w[2]! + 0xfcefa3f8) | 0;
  d = (((d << 9) | (d >>> 23)) + a) | 0;
  c = (c + ((d & b) | (a & ~b)) + w[7]! + 0x676f02d9) | 0;
  c = (((c << 14) | (c >>> 18)) + d) | 0;
  b = (b + ((c & a) | (d & ~a)) + w[12]! + 0x8d2a4c8a) | 0;
  b = (((b << 20) | (b >>> 12)) + c) | 0;

  // Round 3: H(b, c, d) = b ^ c ^ d.
  a = (a + (b ^ c ^ d) + w[5]! + 0xfffa3942) | 0;
  a = (((a << 4) | (a >>> 28)) + b) | 0;
  d = (d + (a ^ b ^ c) + w[8]! + 0x8771f681) | 0;
  d = (((d << 11) | (d >>> 21)) + a) | 0;
  c = (c + (d ^ a ^ b) + w[11]! + 0x6d9d6122) | 0;
  c = (((c << 16) | (c >>> 16)) + d) | 0;
  b = (b + (c ^ d ^ a) + w[14]! + 0xfde5380c) | 0;
  b = (((b << 23) | (b >>> 9)) + c) | 0;
  a = (a + (b ^ c ^ d) + w[1]! + 0xa4beea44) | 0;
  a = (((a << 4) | (a >>> 28)) + b) | 0;
  d = (d + (a ^ b ^ c) + w[4]! + 0x4bdecfa9) | 0;
  d = (((d << 11) | (d >>> 21)) + a) | 0;
  c = (c + (d ^ a ^ b) + w[7]! + 0xf6bb4b60) | 0;
  c = (((c << 16) | (c >>> 16)) + d) | 0;
  b = (b + (c ^ d ^ a) + w[10]! + 0xbebfbc70) | 0;
  b = (((b << 23) | (b >>> 9)) + c) | 0;
  a = (a + (b ^ c ^ d) + w[13]! + 0x289b7ec6) | 0;
  a = (((a << 4) | (a >>> 28)) + b) | 0;
  d = (d + (a ^ b ^ c) + w[0]! + 0xeaa127fa) | 0;
  d = (((d << 11) | (d >>> 21)) + a) | 0;
  c = (c + (d ^ a ^ b) + w[3]! + 0xd4ef3085) | 0;
  c = (((c << 16) | (c >>> 16)) + d) | 0;
  b = (b + (c ^ d ^ a) + w[6]! + 0x04881d05) | 0;
  b = (((b << 23) | (b >>> 9)) + c) | 0;
  a = (a + (b ^ c ^ d) + w[9]! + 0xd9d4d039) | 0;
  a = (((a << 4) | (a >>> 28)) + b) | 0;
  d = (d + (a ^ b ^ c) + w[12]! + 0xe6db99e5) | 0;
  d = (((d << 11) | (d >>> 21)) + a) | 0;
  c = (c + (d ^ a ^ b) + w[15]! + 0x1fa27cf8) | 0;
  c = (((c << 16) | (c >>> 16)) + d) | 0;
  b = (b + (c ^ d ^ a) + w[2]! + 0xc4ac5665) | 0;
  b = (((b << 23) | (b >>> 9)) + c) | 0;

  // Round 4: I(b, c, d) = c ^ (b | ~d).
  a = (a + (c ^ (b | ~d)) + w[0]! + 0xf4292244) | 0;
  a = (((a << 6) | (a >>> 26)) + b) | 0;
  d = (d + (b ^ (a | ~c)) + w[7]! + 0x432aff97) | 0;
  d = (((d << 10) | (d >>> 22)) + a) | 0;
  c = (c + (a ^ (d | ~b)) + w[14]! + 0xab9423a7) | 0;
  c = (((c << 15) | (c >>> 17)) + d) | 0;
  b = (b + (d ^ (c | ~a)) + w[5]! + 0xfc93a039) | 0;
  b = (((b << 21) | (b >>> 11)) + c) | 0;
  a = (a + (c ^ (b | ~d)) + w[12]! + 0x655b59c3) | 0;
  a = (((a << 6) | (a >>> 26)) + b) | 0;
  d = (d + (b ^ (a | ~c)) + w[3]! + 0x8f0ccc92) | 0;
  d = (((d << 10) | (d >>> 22)) + a) | 0;
  c = (c + (a ^ (d | ~b)) + w[10]! + 0xffeff47d) | 0;
  c = (((c << 15) | (c >>> 17)) + d) | 0;
  b = (b + (d ^ (c | ~a)) + w[1]! + 0x85845dd1) | 0;
  b = (((b << 21) | (b >>> 11)) + c) | 0;
  a = (a + (c ^ (b | ~d)) + w[8]! + 0x6fa87e4f) | 0;
  a = (((a << 6) | (a >>> 26)) + b) | 0;
  d = (d + (b ^ (a | ~c)) + w[15]! + 0xfe2ce6e0) | 0;
  d = (((d << 10) | (d >>> 22)) + a) | 0;
  c = (c + (a ^ (d | ~b)) + w[6]! + 0xa3014314) | 0;
  c = (((c << 15) | (c >>> 17)) + d) | 0;
  b = (b + (d ^ (c | ~a)) + w[13]! + 0x4e0811a1) | 0;
  b = (((b << 21) | (b >>> 11)) + c) | 0;
  a = (a + (c ^ (b | ~d)) + w[4]! + 0xf7537e82) | 0;
  a = (((a << 6) | (a >>> 26)) + b) | 0;
  // The last three steps change only b, c and d: the final block, whose first digest word is all dispatch
  // reads, can stop here.
  if (lastBlock) {
    state[0] = (state[0]! + a) | 0;
    return;
  }
  d = (d + (b ^ (a | ~c)) + w[11]! + 0xbd3af235) | 0;
  d = (((d << 10) | (d >>> 22)) + a) | 0;
  c = (c + (a ^ (d | ~b)) + w[2]! + 0x2ad7d2bb) | 0;
  c = (((c << 15) | (c >>> 17)) + d) | 0;
  b = (b + (d ^ (c | ~a)) + w[9]! + 0xeb86d391) | 0;
  b = (((b << 21) | (b >>> 11)) + c) | 0;
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
}

function reset(): void {
  state[0] = INITIAL_A;
  state[1] = INITIAL_B;
  state[2] = INITIAL_C;
  state[3] = INITIAL_D;
}

/** A hash input's leading part (a flag key), packed once: its ASCII bytes as little-endian words. */
export interface Md5Prefix {
  readonly text: string;
  /** The packed bytes; `null` when the text is not ASCII or too long for one block. */
  readonly words: Int32Array | null;
}

/** Packs `text` for `md5Int32LE(prefix, tail)`: hashing then packs only the tail. */
export function md5Prefix(text: string): Md5Prefix {
  const words = new Int32Array(16);
  if (text.length > 55) return { text, words: null };
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) return { text, words: null };
    words[i >> 2]! |= code << ((i & 3) << 3);
  }
  return { text, words };
}

/**
 * Packs `head + tail` as a one-block ASCII message, its 0x80 terminator and bit length, into `w`: `false` when
 * the message is not ASCII or too long, for the general path.
 */
function packAscii(head: Md5Prefix, tail: string): boolean {
  const words = head.words;
  const headLength = head.text.length;
  const n = headLength + tail.length;
  if (words === null || n > 55) return false;
  // The head's whole words, copied one by one: `w.set(words)` is a built-in call that costs more than the copy.
  const whole = headLength >> 2;
  for (let k = 0; k < whole; k++) w[k] = words[k]!;
  // Tail bytes accumulate little-endian in `word` (after the head's last, partial word) and are stored four at a time.
  let word = words[whole]!;
  for (let j = 0, i = headLength; j < tail.length; j++, i++) {
    const code = tail.charCodeAt(j);
    if (code > 0x7f) return false;
    word |= code << ((i & 3) << 3);
    if ((i & 3) === 3) {
      w[i >> 2] = word;
      word = 0;
    }
  }
  let at = n >> 2;
  w[at] = word | (0x80 << ((n & 3) << 3));
  // Zeros up to the bit length: this block's words past the message, whatever an earlier hash left there.
  while (++at < 14) w[at] = 0;
  w[14] = n << 3;
  w[15] = 0;
  return true;
}

/** Hashes any string: UTF-8 bytes, MD5 padding and bit length, then one compression per 64-byte block. */
function hashBytes(text: string): void {
  // Worst case 3 bytes per UTF-16 unit, plus up to 72 bytes of padding.
  if (bytes.length < text.length * 3 + 72) bytes = new Uint8Array(text.length * 3 + 72);
  const length = writeUtf8(text, bytes);
  const total = (((length + 8) >> 6) + 1) << 6;
  bytes[length] = 0x80;
  bytes.fill(0, length + 1, total - 8);
  const bitsLow = (length << 3) >>> 0;
  const bitsHigh = Math.floor(length / 0x20000000);
  for (let i = 0; i < 4; i++) {
    bytes[total - 8 + i] = (bitsLow >>> (8 * i)) & 0xff;
    bytes[total - 4 + i] = (bitsHigh >>> (8 * i)) & 0xff;
  }
  for (let offset = 0; offset < total; offset += 64) {
    for (let i = 0; i < 16; i++) {
      const at = offset + i * 4;
      w[i] = bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
    }
    compress(offset + 64 === total);
  }
}

/**
 * MD5 of `head + tail` (UTF-8), its first four digest bytes read as a signed little-endian 32-bit integer. The
 * two parts spare callers a concatenation, and a head packed once with `md5Prefix` is not packed again:
 * dispatch hashes a flag key followed by a user attribute.
 * @example md5Int32LE('test-value') // 314684291
 */
export function md5Int32LE(head: string | Md5Prefix, tail = ''): number {
  const prefix = typeof head === 'string' ? md5Prefix(head) : head;
  reset();
  if (packAscii(prefix, tail)) compress(true);
  else hashBytes(prefix.text + tail);
  // The digest's first four bytes are state[0]'s, low byte first: read little-endian, they are state[0] itself.
  return state[0]!;
}
