import { closestName } from '../../core/internal/closest';
import { FULL_ROLLOUT_TOLERANCE } from './dispatch';
import { compileOperator, FEATBIT_OPERATORS, parseStringList } from './operators';
import { IN_SEGMENT_PROPERTY, NOT_IN_SEGMENT_PROPERTY } from './parse-condition';
import type { FeatBitCondition, FeatBitFlag, FeatBitRolloutVariation, FeatBitSegment } from './wire-types';

/**
 * What a FeatBit flag or segment says that evaluation would only find out user by user: a variation id that
 * does not exist, a rollout with a gap (those users get an error) or an overlap (the earlier share silently
 * takes them), an unknown operator (its condition never holds), a segment that is not there, a condition
 * value an operator cannot use. The flags file reports them all, each at its place, before anything is served.
 * Takes entities that `parseFeatBitFlag`/`parseFeatBitSegment` accepted, so their shapes are known good.
 */
export interface FeatBitProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Which segment ids a flag may name. */
export interface KnownSegments {
  readonly live: ReadonlySet<string>;
  readonly archived: ReadonlySet<string>;
}

type Path = readonly (string | number)[];

/** Bounds closer than this are the same edge: rollouts are fractions written out as decimals. */
const EDGE_TOLERANCE = 1e-9;
const KNOWN_OPERATORS: ReadonlySet<string> = new Set(FEATBIT_OPERATORS);
const round = (n: number) => Number(n.toFixed(6));

function conditionProblems(condition: FeatBitCondition, path: Path, segments: KnownSegments | null): FeatBitProblem[] {
  const isSegmentTest = segments !== null && (condition.property === IN_SEGMENT_PROPERTY || condition.property === NOT_IN_SEGMENT_PROPERTY);
  if (isSegmentTest) {
    const ids = parseStringList(condition.value);
    if (typeof ids === 'string') return [{ path: [...path, 'value'], message: `segment ${ids.replace('the list', 'list')}` }];
    return [...ids].flatMap((id) => {
      if (segments.live.has(id)) return [];
      if (segments.archived.has(id)) return [{ path: [...path, 'value'], message: `segment "${id}" is archived: evaluating this condition is an error` }];
      const suggestion = closestName(id, segments.live);
      return [{ path: [...path, 'value'], message: `no segment "${id}" in the file${suggestion ? ` (did you mean "${suggestion}"?)` : ''}` }];
    });
  }
  const { op } = condition;
  if (op === null || !KNOWN_OPERATORS.has(op)) {
    const suggestion = op === null ? undefined : closestName(op, FEATBIT_OPERATORS);
    const named = op === null ? 'no operator' : `unknown operator "${op}"`;
    const hint = suggestion ? ` (did you mean "${suggestion}"?)` : ` (FeatBit's operators are ${FEATBIT_OPERATORS.join(', ')})`;
    return [{ path: [...path, 'op'], message: `${named}${hint}: the condition never holds` }];
  }
  const { problem } = compileOperator(op, condition.value);
  return problem === null ? [] : [{ path: [...path, 'value'], message: problem }];
}

function rolloutProblems(shares: readonly FeatBitRolloutVariation[], path: Path, variationIds: ReadonlySet<string>): FeatBitProblem[] {
  const problems: FeatBitProblem[] = [];
  const spans: { start: number; end: number; index: number }[] = [];
  shares.forEach((share, index) => {
    const at = [...path, 'variations', index];
    if (!variationIds.has(share.id)) problems.push({ path: [...at, 'id'], message: `the flag has no variation "${share.id}"` });
    const [start, end] = share.rollout;
    if (start < 0 || end > 1 || start > end) problems.push({ path: [...at, 'rollout'], message: `[${start}, ${end}] is not a share of [0, 1]` });
    // FeatBit's shortcut: [0, end] with end within 0.00001 of 1 is everyone.
    else if (start === 0 && 1 - end < FULL_ROLLOUT_TOLERANCE) spans.push({ start, end: 1, index });
    else if (end > start) spans.push({ start, end, index });
  });
  if (shares.length === 0) return [...problems, { path: [...path, 'variations'], message: 'the rollout has no shares: every user it reaches gets an error' }];
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  let covered = 0;
  for (const span of spans) {
    if (span.start > covered + EDGE_TOLERANCE) {
      problems.push({ path: [...path, 'variations'], message: `the rollout leaves buckets ${round(covered)} to ${round(span.start)} uncovered: users there get an error` });
    } else if (span.start < covered - EDGE_TOLERANCE) {
      problems.push({
        path: [...path, 'variations', span.index, 'rollout'],
        message: `overlaps an earlier share on ${round(span.start)} to ${round(Math.min(covered, span.end))}: users there get whichever share comes first`,
      });
    }
    covered = Math.max(covered, span.end);
  }
  if (covered < 1 - EDGE_TOLERANCE) problems.push({ path: [...path, 'variations'], message: `the rollout leaves buckets ${round(covered)} to 1 uncovered: users there get an error` });
  return problems;
}

/** Every problem of a live flag, with its path inside the flag. */
export function featBitFlagProblems(flag: FeatBitFlag, segments: KnownSegments): FeatBitProblem[] {
  const variationIds = new Set(flag.variations.map((v) => v.id));
  const problems: FeatBitProblem[] = [];
  const variation = (id: string, path: Path) => {
    if (!variationIds.has(id)) problems.push({ path, message: `the flag has no variation "${id}"` });
  };
  // Only a disabled flag serves it; turning the flag off in the file is an edit validate sees again.
  if (!flag.isEnabled) variation(flag.disabledVariationId, ['disabledVariationId']);
  (flag.targetUsers ?? []).forEach((target, i) => variation(target.variationId, ['targetUsers', i, 'variationId']));
  (flag.rules ?? []).forEach((rule, i) => {
    (rule.conditions ?? []).forEach((condition, j) => problems.push(...conditionProblems(condition, ['rules', i, 'conditions', j], segments)));
    problems.push(...rolloutProblems(rule.variations ?? [], ['rules', i], variationIds));
  });
  if (flag.fallthrough) problems.push(...rolloutProblems(flag.fallthrough.variations ?? [], ['fallthrough'], variationIds));
  else problems.push({ path: ['fallthrough'], message: 'the flag has no fallthrough: users no target or rule catches get an error' });
  return problems;
}

/** Every problem of a live segment's rules, with its path inside the segment. */
export function featBitSegmentProblems(segment: FeatBitSegment): FeatBitProblem[] {
  return (segment.rules ?? []).flatMap((rule, i) => (rule.conditions ?? []).flatMap((condition, j) => conditionProblems(condition, ['rules', i, 'conditions', j], null)));
}
