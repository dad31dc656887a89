import { type FeatBitConditionExplanation, type FeatBitRolloutExplanation, explainFeatBitFlag } from '../evaluators/featbit/explain';
import type { FeatBitSegments, ParsedFeatBitFlag, ParsedFeatBitUser } from '../featbit';
import { featBitValue } from '../evaluators/featbit/featbit-value';
import { formatValue } from './describe-variant';

/** A variation as the file holds it, typed by the flag's variationType: `"bold"`, `true`, `25`. */
function shownValue(flag: ParsedFeatBitFlag, text: string | null): string {
  if (text === null) return '(no such variation)';
  const value = featBitValue(flag.variationType, text);
  return value === undefined ? `${JSON.stringify(text)} (not a ${flag.variationType} value)` : formatValue(value);
}

function describeCondition({ condition: c, verdict, userValue, problem }: FeatBitConditionExplanation): string {
  const mark = verdict === 'holds' ? '✓' : verdict === 'fails' ? '✗' : '?';
  const text = c.kind === 'ordinary' ? `${c.property} ${c.op ?? '(no operator)'} ${JSON.stringify(c.value)}` : `${c.property} ${c.value}`;
  const seen = c.kind === 'ordinary' ? ` (user: ${userValue === undefined ? 'no such attribute' : JSON.stringify(userValue)})` : '';
  return `     ${mark} ${text}${seen}${problem ? ` — ${problem}` : ''}`;
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(3))}%`;
}

/** `"bold"`, or `rollout "control" 50% / "bold" 50% by country`; with the bucket and the share it fell in when `decided`. */
function describeRollout(flag: ParsedFeatBitFlag, rollout: FeatBitRolloutExplanation, decided: boolean): string {
  const only = rollout.shares.length === 1 && rollout.shares[0]!.start === 0 && rollout.shares[0]!.end >= 1 ? rollout.shares[0]! : null;
  const serves = only
    ? `${shownValue(flag, only.value)} (${only.variationId})`
    : `rollout ${rollout.shares.map((s) => `${shownValue(flag, s.value)} ${percent(s.end - s.start)}`).join(' / ')} by ${rollout.by ?? 'the user key'}`;
  if (!decided || only) return serves;
  const chosen = rollout.shares[rollout.chosen];
  const landed = chosen ? `${shownValue(flag, chosen.value)} (${chosen.variationId})` : 'no share (an error)';
  return `${serves}: bucket ${rollout.bucket.toFixed(6)} → ${landed}`;
}

/**
 * `flagwire explain` for a flag of a FeatBit bootstrap file: what the user gets, then each step FeatBit takes
 * (off, targets, rules in order with every condition's verdict, the fallthrough) and the rollout that decided.
 */
export function explainFeatBitLines(key: string, flag: ParsedFeatBitFlag, user: ParsedFeatBitUser, segments: FeatBitSegments): string[] {
  const { result, isEnabled, targets, rules, fallthrough } = explainFeatBitFlag(flag, user, segments);
  const lines =
    result.kind === 'error'
      ? [`${key}: error — ${result.reason}: ${result.err ?? ''} (the app gets its default)`]
      : [`${key}: ${shownValue(flag, result.value)} (variation ${result.variationId}) — ${result.reason} [${result.kind}]`];
  if (!isEnabled) lines.push('  (the flag is off: every user gets its disabled variation)');
  const keys = `${targets.keys} user key${targets.keys === 1 ? '' : 's'} targeted`;
  lines.push(`targets: ${keys}; ${JSON.stringify(user.key)} ${targets.userTargeted ? 'is one of them' : 'is not one of them'}`);
  rules.forEach((rule, i) => {
    lines.push(`${i + 1}. rule ${JSON.stringify(rule.name)} → ${describeRollout(flag, rule.rollout, rule.outcome === 'matched')} : ${rule.outcome}`);
    for (const condition of rule.conditions) lines.push(describeCondition(condition));
  });
  if (rules.length === 0) lines.push('  (no rules)');
  const reachesFallthrough = result.kind === 'fallthrough' || (isEnabled && !targets.userTargeted && rules.every((r) => r.outcome === 'did not match'));
  lines.push(`otherwise → ${fallthrough ? describeRollout(flag, fallthrough, reachesFallthrough) : 'no fallthrough (an error)'}`);
  return lines;
}
