/**
 * A 53-bit fingerprint of a text (two independent 32-bit FNV-1a-style hashes, combined): enough to tell whether
 * an entity's declaration changed between two loads of a file without keeping its text (a chance collision
 * among a million entities is about one in ten billion).
 */
export function fingerprint(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) >>> 11);
}
