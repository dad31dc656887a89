import { dispatchAttribute, ordinaryHolds } from './attributes';
import { pickShare } from './dispatch';
import { sendToExperiment } from './experiment';
import type { FeatBitSegments, ParsedFeatBitCondition, ParsedFeatBitFlag, ParsedFeatBitRollout, ParsedFeatBitUser } from './parsed-types';
import { errorResult, FEATBIT_REASON_MALFORMED, FEATBIT_REASON_NOT_FOUND, type FeatBitEvaluation } from './result';
import { inAnySegment } from './segments';

const NO_SEGMENTS: FeatBitSegments = new Map();

function conditionHolds(condition: ParsedFeatBitCondition, user: ParsedFeatBitUser, segments: FeatBitSegments): boolean | string {
  if (condition.kind === 'ordinary') return ordinaryHolds(condition, user);
  if (condition.problem !== null) return condition.problem;
  const inAny = inAnySegment(condition.segmentIds, user, segments);
  if (typeof inAny === 'string') return inAny;
  return condition.kind === 'in-segment' ? inAny : !inAny;
}

/** Whether every condition of a rule holds (in order, stopping at the first that does not), or why not known. */
export function ruleHolds(conditions: readonly ParsedFeatBitCondition[], user: ParsedFeatBitUser, segments: FeatBitSegments): boolean | string {
  for (const condition of conditions) {
    const outcome = conditionHolds(condition, user, segments);
    if (outcome !== true) return outcome;
  }
  return true;
}

function dispatch(flag: ParsedFeatBitFlag, rollout: ParsedFeatBitRollout, user: ParsedFeatBitUser): FeatBitEvaluation {
  const value = dispatchAttribute(user, rollout.dispatchProperty);
  const index = pickShare(rollout.shares, flag.dispatchPrefix, value);
  if (index < 0) return rollout.uncovered;
  const share = rollout.shares[index]!;
  const sent = sendToExperiment(flag.exptIncludeAllTargets, rollout.includedInExpt, share.experiment, flag.experimentPrefix, value);
  return share.results[sent ? 1 : 0];
}

/**
 * Evaluates a parsed FeatBit flag for a parsed user: archived → error; disabled → the disabled variation;
 * a targeted key → its variation; the first rule whose conditions all hold → its rollout; else the
 * fallthrough's rollout. Pure and synchronous, and allocation-free on success: results are built at parse time.
 * @param segments the segments flag conditions may name, by id (`parseFeatBitSegments`).
 */
export function evaluateParsedFeatBitFlag(flag: ParsedFeatBitFlag, user: ParsedFeatBitUser, segments: FeatBitSegments = NO_SEGMENTS): FeatBitEvaluation {
  // An archived flag is a tombstone: it evaluates as if it were absent.
  if (flag.isArchived) return errorResult(flag.key, FEATBIT_REASON_NOT_FOUND, `[flagwire] FeatBit flag ${JSON.stringify(flag.key)} is archived`);
  if (!flag.isEnabled) return flag.offResult;
  if (flag.targets.size > 0) {
    const target = flag.targets.get(user.key);
    if (target !== undefined) return target;
  }
  for (const rule of flag.rules) {
    const outcome = ruleHolds(rule.conditions, user, segments);
    if (outcome === false) continue;
    // A rule that cannot be evaluated stops evaluation: later rules would hand out a variation it may not mean.
    if (outcome !== true) return errorResult(flag.key, FEATBIT_REASON_MALFORMED, `[flagwire] FeatBit flag ${JSON.stringify(flag.key)}: ${outcome}`);
    return dispatch(flag, rule, user);
  }
  if (flag.fallthrough === null) return errorResult(flag.key, FEATBIT_REASON_MALFORMED, `[flagwire] FeatBit flag ${JSON.stringify(flag.key)} has no fallthrough`);
  return dispatch(flag, flag.fallthrough, user);
}
