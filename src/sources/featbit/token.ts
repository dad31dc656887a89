/**
 * FeatBit's data-sync connection token (its server SDK spec): the env secret with a timestamp spliced
 * in at a random place, every number written in FeatBit's digit alphabet. It only obscures the secret — anyone can
 * reverse it — so a streaming URL carrying one is as secret as the env secret itself.
 */

const DIGIT_LETTERS = 'QBWSPHDXZU';

/** `value` zero-padded, cut to its last `width` digits, each digit as its letter. */
function encodeNumber(value: number, width: number): string {
  const digits = String(value).padStart(width, '0').slice(-width);
  let out = '';
  for (const digit of digits) out += DIGIT_LETTERS[Number(digit)];
  return out;
}

/** The number spelled by FeatBit's digit letters; `null` when a letter is not one of them. */
function decodeNumber(letters: string): number | null {
  let digits = '';
  for (const letter of letters) {
    const digit = DIGIT_LETTERS.indexOf(letter);
    if (digit < 0) return null;
    digits += digit;
  }
  return digits === '' ? null : Number(digits);
}

/**
 * A fresh connection token for `secret` (trailing `=` dropped), as FeatBit's SDKs make one per connection.
 * @param nowMs the Unix time in ms written into the token
 * @param random a draw in [0, 1) choosing where the secret is split
 */
export function featBitToken(secret: string, nowMs: number, random: number): string {
  const trimmed = secret.replace(/=+$/, '');
  const timestamp = String(Math.trunc(nowMs));
  const split = Math.max(Math.floor(random * trimmed.length), 2);
  return (
    encodeNumber(split, 3) +
    encodeNumber(timestamp.length, 2) +
    trimmed.slice(0, split) +
    encodeNumber(Number(timestamp), timestamp.length) +
    trimmed.slice(split)
  );
}

/** What a token carries, as FeatBit's server reads it back; `null` when the text is not a token. */
export function decodeFeatBitToken(token: string): { secret: string; timestampMs: number } | null {
  const split = decodeNumber(token.slice(0, 3));
  const timestampLength = decodeNumber(token.slice(3, 5));
  if (split === null || timestampLength === null || timestampLength === 0) return null;
  const rest = token.slice(5);
  if (rest.length < split + timestampLength) return null;
  const timestampMs = decodeNumber(rest.slice(split, split + timestampLength));
  if (timestampMs === null) return null;
  return { secret: rest.slice(0, split) + rest.slice(split + timestampLength), timestampMs };
}
