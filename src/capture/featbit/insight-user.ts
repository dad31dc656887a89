import { parseFeatBitUser } from '../../evaluators/featbit/parse-user';
import type { FeatBitSegments, ParsedFeatBitCondition, ParsedFeatBitFlag, ParsedFeatBitRollout, ParsedFeatBitSegment, ParsedFeatBitUser } from '../../evaluators/featbit/parsed-types';

/**
 * The user as a FeatBit insight carries it. FeatBit's event server reads `keyId` and `name` from every insight;
 * the custom properties go only to its record of the end user (the portal's user list, the property names it
 * offers for targeting). So an evaluation insight carries the key, the name and the custom properties that
 * flag's evaluation can read — its rules' conditions, its rollouts' dispatch keys, and the rules of the segments
 * it names — and nothing else: a 16 KB attribute no flag reads is not sent once per flag read, nor held in the
 * event queue while FeatBit is away. A metric carries the key and the name, all FeatBit reads of it.
 */

interface FlagReads {
  /** Custom properties the flag's own rules and rollouts read. */
  readonly own: readonly string[];
  /** Segments its conditions name; what they read is looked up at each read, as segments change on their own. */
  readonly segmentIds: readonly string[];
}

// Parsed flags and segments are immutable and replaced when they change: what each reads is worked out once.
const flagReads = new WeakMap<ParsedFeatBitFlag, FlagReads>();
const segmentReads = new WeakMap<ParsedFeatBitSegment, readonly string[]>();

/** `keyId` and `name` are built in; every other property name is a custom property (as FeatBit's evaluation reads them). */
function addCustom(into: Set<string>, property: string | null): void {
  if (property !== null && property !== 'keyId' && property !== 'name') into.add(property);
}

function addConditions(into: Set<string>, conditions: readonly ParsedFeatBitCondition[], segmentIds: Set<string> | null): void {
  for (const condition of conditions) {
    if (condition.kind === 'ordinary') {
      if (condition.source === 'custom') into.add(condition.property);
    } else {
      for (const id of condition.segmentIds) segmentIds?.add(id);
    }
  }
}

function readsOfFlag(flag: ParsedFeatBitFlag): FlagReads {
  let reads = flagReads.get(flag);
  if (reads === undefined) {
    const own = new Set<string>();
    const segmentIds = new Set<string>();
    const rollouts: ParsedFeatBitRollout[] = [...flag.rules];
    if (flag.fallthrough) rollouts.push(flag.fallthrough);
    for (const rollout of rollouts) addCustom(own, rollout.dispatchProperty);
    for (const rule of flag.rules) addConditions(own, rule.conditions, segmentIds);
    reads = { own: [...own], segmentIds: [...segmentIds] };
    flagReads.set(flag, reads);
  }
  return reads;
}

function readsOfSegment(segment: ParsedFeatBitSegment): readonly string[] {
  let reads = segmentReads.get(segment);
  if (reads === undefined) {
    const properties = new Set<string>();
    for (const rule of segment.rules) addConditions(properties, rule, null);
    reads = [...properties];
    segmentReads.set(segment, reads);
  }
  return reads;
}

/** What `customPropertiesRead` answers for `flag` whatever the segments, when it names none; `null` when it does. */
export function propertiesReadAlways(flag: ParsedFeatBitFlag): readonly string[] | null {
  const { own, segmentIds } = readsOfFlag(flag);
  return segmentIds.length === 0 ? own : null;
}

/** The custom properties evaluating `flag` can read, with `segments` as they are now. */
export function customPropertiesRead(flag: ParsedFeatBitFlag, segments: FeatBitSegments): readonly string[] {
  const { own, segmentIds } = readsOfFlag(flag);
  if (segmentIds.length === 0) return own;
  const all = new Set(own);
  for (const id of segmentIds) {
    const segment = segments.get(id);
    if (segment) for (const property of readsOfSegment(segment)) all.add(property);
  }
  return [...all];
}

/** The user an evaluation insight about `flag` carries: key, name, and the custom properties the flag reads that the user has. */
export function evaluationInsightUser(user: ParsedFeatBitUser, flag: ParsedFeatBitFlag, segments: FeatBitSegments): ParsedFeatBitUser {
  const read = customPropertiesRead(flag, segments);
  if (read.length === 0 && user.properties.size === 0) return user;
  const customizedProperties: { name: string; value: string }[] = [];
  for (const name of read) {
    const value = user.properties.get(name);
    if (value !== undefined) customizedProperties.push({ name, value });
  }
  return parseFeatBitUser({ key: user.key, name: user.name, customizedProperties });
}

/** The user a metric insight carries: key and name. */
export function metricInsightUser(user: ParsedFeatBitUser): ParsedFeatBitUser {
  return user.properties.size === 0 ? user : parseFeatBitUser({ key: user.key, name: user.name });
}
