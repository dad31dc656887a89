import { describe, expect, it } from 'vitest';
import { decodeFeatBitToken, featBitToken } from './token';

describe('featBitToken', () => {
  it('matches the fact sheet vectors (random 0 and 0.5)', () => {
    expect(featBitToken('abcdefghij', 1_700_000_000_000, 0)).toBe('QQWBSabBXQQQQQQQQQQQcdefghij');
    expect(featBitToken('abcdefghij', 1_700_000_000_000, 0.5)).toBe('QQHBSabcdeBXQQQQQQQQQQQfghij');
  });

  it('strips trailing "=" from the secret before encoding', () => {
    expect(featBitToken('abcdefghij==', 1_700_000_000_000, 0)).toBe('QQWBSabBXQQQQQQQQQQQcdefghij');
  });

  it('puts the secret split at a different place for a different random draw', () => {
    const secret = 'Zm9vYmFyYmF6cXV4LXNlY3JldC1rZXk';
    expect(featBitToken(secret, 1_700_000_000_000, 0.1)).not.toBe(featBitToken(secret, 1_700_000_000_000, 0.9));
  });

  it('never splits past the end of the secret, even for random close to 1', () => {
    expect(decodeFeatBitToken(featBitToken('abcdefghij', 1_700_000_000_123, 0.999999))).toEqual({ secret: 'abcdefghij', timestampMs: 1_700_000_000_123 });
  });
});

describe('decodeFeatBitToken', () => {
  it('recovers the secret (without trailing "=") and the timestamp', () => {
    for (const random of [0, 0.25, 0.5, 0.75, 0.99]) {
      expect(decodeFeatBitToken(featBitToken('s3cr3t-env-key==', 1_712_345_678_901, random))).toEqual({ secret: 's3cr3t-env-key', timestampMs: 1_712_345_678_901 });
    }
  });

  it('answers null for text that is not a token', () => {
    for (const text of ['', 'QQ', 'abcdefghij', 'QQWBSab', 'QQWBSabBXQQQQQQ', 'ZZZZZZZZZZZZZZZZZZZZ1']) expect(decodeFeatBitToken(text)).toBeNull();
  });
});
