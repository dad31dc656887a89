import { PARSED } from '../schematic/engine/parsed-types';
import { FlagwireError } from '../../core/errors';
import { evaluateParsedFeatBitFlag } from './evaluate';
import { parseFeatBitFlag } from './parse-flag';
import { parseFeatBitSegments } from './parse-segment';
import { isParsedFeatBitUser, parseFeatBitUser } from './parse-user';
import type { FeatBitSegments, ParsedFeatBitFlag, ParsedFeatBitSegment, ParsedFeatBitUser } from './parsed-types';
import { errorResult, FEATBIT_REASON_BAD_USER, FEATBIT_REASON_MALFORMED, FEATBIT_REASON_NOT_FOUND, type FeatBitEvaluation } from './result';
import type { FeatBitFlag, FeatBitSegment, FeatBitUser } from './wire-types';

/** The segments a flag may name: a list (wire JSON or parsed), or parsed segments by id. */
export type FeatBitSegmentsInput = readonly (FeatBitSegment | ParsedFeatBitSegment)[] | FeatBitSegments;

function isParsedFlag(value: unknown): value is ParsedFeatBitFlag {
  return typeof value === 'object' && value !== null && (value as { [PARSED]?: unknown })[PARSED] === 'featbit-flag';
}

function describe(error: unknown): string {
  return error instanceof FlagwireError ? error.message : `[flagwire] FeatBit evaluation failed: ${String(error)}`;
}

/**
 * Evaluates one FeatBit flag for one user, as FeatBit's spec and server SDKs do (see test/support/featbit-divergences.ts for
 * where they disagree and what flagwire follows). Takes FeatBit wire JSON, or entities already parsed with
 * `parseFeatBitFlag`/`parseFeatBitUser`/`parseFeatBitSegments` (the fast path: no validation, no JSON work).
 *
 * Never throws: a missing or invalid flag, an invalid user or an unusable segment gives an `error` result
 * (no variation: the caller's fallback applies) whose `err` says what is wrong and where.
 */
export function evaluateFeatBitFlag(
  flag: FeatBitFlag | ParsedFeatBitFlag | null | undefined,
  user: FeatBitUser | ParsedFeatBitUser | null | undefined,
  segments: FeatBitSegmentsInput = [],
): FeatBitEvaluation {
  if (flag === null || flag === undefined) return errorResult(null, FEATBIT_REASON_NOT_FOUND, '[flagwire] no FeatBit flag was given');
  let parsedFlag: ParsedFeatBitFlag;
  try {
    parsedFlag = isParsedFlag(flag) ? flag : parseFeatBitFlag(flag);
  } catch (error) {
    const key = typeof (flag as { key?: unknown }).key === 'string' ? (flag as { key: string }).key : null;
    return errorResult(key, FEATBIT_REASON_MALFORMED, describe(error));
  }
  if (user === null || user === undefined) return errorResult(parsedFlag.key, FEATBIT_REASON_BAD_USER, '[flagwire] no FeatBit user was given');
  let parsedUser: ParsedFeatBitUser;
  try {
    parsedUser = isParsedFeatBitUser(user) ? user : parseFeatBitUser(user);
  } catch (error) {
    return errorResult(parsedFlag.key, FEATBIT_REASON_BAD_USER, describe(error));
  }
  let lookup: FeatBitSegments;
  try {
    lookup = segments instanceof Map ? segments : parseFeatBitSegments(segments as readonly unknown[]);
  } catch (error) {
    return errorResult(parsedFlag.key, FEATBIT_REASON_MALFORMED, describe(error));
  }
  try {
    return evaluateParsedFeatBitFlag(parsedFlag, parsedUser, lookup);
  } catch (error) {
    // Evaluation is not expected to throw (a pathological regular expression could): contained all the same.
    return errorResult(parsedFlag.key, FEATBIT_REASON_MALFORMED, describe(error));
  }
}
