import { ordinaryHolds } from './attributes';
import type { FeatBitSegments, ParsedFeatBitCondition, ParsedFeatBitSegment, ParsedFeatBitUser } from './parsed-types';

/**
 * Segment membership. For one segment: an excluded key is out, an included key is in, else the user is in
 * when any segment rule has all its conditions holding. A condition naming several segments is tried one id at
 * a time, in order, and stops at the first segment the user is in. A segment id that is missing or archived is
 * an error for the flag: a silent "not in segment" would hand users a variation FeatBit never meant them to get.
 */
function segmentRuleHolds(conditions: readonly ParsedFeatBitCondition[], user: ParsedFeatBitUser): boolean | string {
  for (const condition of conditions) {
    const outcome = ordinaryHolds(condition, user);
    if (outcome !== true) return outcome;
  }
  return true;
}

/** Whether the user is in one segment, or why that cannot be told. */
export function inSegment(segment: ParsedFeatBitSegment, user: ParsedFeatBitUser): boolean | string {
  if (segment.excluded.has(user.key)) return false;
  if (segment.included.has(user.key)) return true;
  for (const rule of segment.rules) {
    const outcome = segmentRuleHolds(rule, user);
    if (outcome !== false) return outcome;
  }
  return false;
}

/** Whether the user is in any of the segments named (none named: false), or why that cannot be told. */
export function inAnySegment(ids: readonly string[], user: ParsedFeatBitUser, segments: FeatBitSegments): boolean | string {
  for (const id of ids) {
    const segment = segments.get(id);
    if (segment === undefined) return `segment ${JSON.stringify(id)} was not given`;
    if (segment.isArchived) return `segment ${JSON.stringify(id)} is archived`;
    const outcome = inSegment(segment, user);
    if (outcome === true) return true;
    // A broken segment rule names its place in the segment; say which segment.
    if (outcome !== false) return `segment ${JSON.stringify(id)}: ${outcome}`;
  }
  return false;
}
