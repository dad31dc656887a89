/**
 * A 53-bit fingerprint of a text (two independent 32-bit FNV-1a-style hashes, combined): enough to tell whether
 * an entity's declaration changed between two loads of a file without keeping its text (a chance collision
 * among a million entities is about one in ten billion).
 * @param after a fingerprint of what the text is read with (see compileConcise's entity prints); 0 for none
 */
export function fingerprint(text: string, after = 0): number {
  // `after` (an earlier fingerprint) seeds both hashes: the text's fingerprint then changes with it too.
  let a = 0x811c9dc5 ^ Math.floor(after / 0x200000);
  let b = 0x01000193 ^ text.length ^ after % 0x200000;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) >>> 11);
}
