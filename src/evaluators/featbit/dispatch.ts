import { type Md5Prefix, md5Int32LE } from './md5';

/**
 * FeatBit's percentage dispatch. A user's bucket for a flag is |n / −2³¹| ∈ [0, 1], where n is the first
 * four bytes of MD5(flag key + attribute) read as a signed little-endian int32. Shares are `[start, end]`
 * intervals tested with both ends closed, after two shortcuts that every FeatBit SDK applies.
 */
const MIN_INT32 = -2147483648;
/** How close to 1 an end must be for `[0, end]` to count as everyone. */
export const FULL_ROLLOUT_TOLERANCE = 0.00001;

/**
 * The bucket in [0, 1] of the dispatch input `prefix + value` (a flag key and a user attribute, no separator);
 * the prefix may come packed by `md5Prefix`.
 * @example dispatchBucket('test-value') // 0.14653629204258323
 */
export function dispatchBucket(prefix: string | Md5Prefix, value = ''): number {
  return Math.abs(md5Int32LE(prefix, value) / MIN_INT32);
}

/** A share `[start, end]` of a rollout, with its shortcuts worked out once. */
export interface RolloutShare {
  readonly start: number;
  readonly end: number;
  /** `[0, end]` with end within 0.00001 of 1: everyone, even a bucket above `end`. */
  readonly everyone: boolean;
  /** `[0, 0]`: no one, not even bucket 0. */
  readonly noOne: boolean;
}

/** The share `[start, end]`. */
export function rolloutShare(start: number, end: number): RolloutShare {
  return { start, end, everyone: start === 0 && 1 - end < FULL_ROLLOUT_TOLERANCE, noOne: start === 0 && end === 0 };
}

/** Whether a bucket falls in a share, shortcuts first. */
export function bucketInShare(bucket: number, share: RolloutShare): boolean {
  if (share.everyone) return true;
  if (share.noOne) return false;
  return share.start <= bucket && bucket <= share.end;
}

/** Whether the dispatch input `prefix + value` falls in a share; hashes only when a shortcut does not decide. */
export function inShare(share: RolloutShare, prefix: string | Md5Prefix, value = ''): boolean {
  if (share.everyone) return true;
  if (share.noOne) return false;
  const bucket = dispatchBucket(prefix, value);
  return share.start <= bucket && bucket <= share.end;
}

/** Whether the dispatch input falls in `[start, end]`. */
export function isInRollout(input: string, start: number, end: number): boolean {
  return inShare(rolloutShare(start, end), input);
}

/**
 * The index of the first share (in stored order, so the earlier share wins a shared edge) holding the bucket of
 * `prefix + value`, or -1 when none does (a malformed rollout). Hashes once, and only if a share needs it.
 */
export function pickShare(shares: readonly RolloutShare[], prefix: string | Md5Prefix, value: string): number {
  let bucket = -1;
  for (let i = 0; i < shares.length; i++) {
    const share = shares[i]!;
    if (share.everyone) return i;
    if (share.noOne) continue;
    if (bucket < 0) bucket = dispatchBucket(prefix, value);
    if (share.start <= bucket && bucket <= share.end) return i;
  }
  return -1;
}
