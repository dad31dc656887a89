import { Operator } from '@featbit/node-server-sdk';
import type { FeatBitCondition, FeatBitEvaluation, FeatBitUser } from '../../src/evaluators/featbit';
import { type FeatBitCase, SEGMENT_IN, SEGMENT_NOT_IN } from './featbit-generator';

/**
 * Which of the known divergences a case runs into, where FeatBit's Node SDK departs from the spec
 * flagwire follows. Decided from the inputs alone (never from flagwire's answer, so a flagwire bug cannot hide
 * as a divergence), and conservatively: a condition or rollout counts whether or not evaluation reaches it.
 */
export type Divergence =
  | 'missing attribute'
  | 'user without name'
  | 'regex operands'
  | 'numbers'
  | 'dispatch attribute missing'
  | 'archived flag'
  | 'archived segment'
  | 'missing segment'
  | 'bad list'
  | 'bad segment list';

// With the attribute missing, the SDK throws for these (string methods on undefined) or answers true.
const FAILS_OPEN_ON_MISSING = new Set(['NotEqual', 'NotOneOf', 'Contains', 'NotContain', 'StartsWith', 'EndsWith', 'MatchRegex', 'NotMatchRegex']);
const NUMERIC = new Set(['LessThan', 'LessEqualThan', 'BiggerThan', 'BiggerEqualThan']);
const REGEX = new Set(['MatchRegex', 'NotMatchRegex']);
const LIST = new Set(['IsOneOf', 'NotOneOf']);

/** The attribute as the Node SDK reads it: `keyId`, `name` (undefined when absent), else the first custom property. */
function sdkAttribute(user: FeatBitUser, property: string): string | undefined {
  if (property === 'keyId') return user.key;
  if (property === 'name') return user.name ?? undefined;
  return user.customizedProperties?.find((p) => p.name === property)?.value;
}

function sameNumber(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/**
 * Text `parseFloat` reads differently from a finite number with white space around it (a prefix, hex,
 * Infinity…). `Number` trims the same white space as flagwire (String.prototype.trim's set).
 */
function looseNumber(text: string): boolean {
  const loose = Number.parseFloat(text);
  const whole = text.trim() === '' ? Number.NaN : Number(text);
  return !sameNumber(loose, whole) || Math.abs(loose) === Infinity;
}

function stringArray(text: string): string[] | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === 'string') ? parsed : null;
  } catch {
    return null;
  }
}

function regexDiffers(op: string, userValue: string, pattern: string): boolean {
  try {
    // The SDK's own operator (it builds the pattern from the user value) against the spec's reading.
    const sdk = Operator.get(op).isMatch(userValue, pattern);
    return sdk !== (new RegExp(pattern).test(userValue) === (op === 'MatchRegex'));
  } catch {
    return true;
  }
}

function conditionDivergences(condition: FeatBitCondition, user: FeatBitUser, found: Set<Divergence>): void {
  const op = condition.op ?? '';
  if (LIST.has(op) && stringArray(condition.value) === null) found.add('bad list');
  if (condition.property === 'name' && (user.name === undefined || user.name === null)) {
    found.add('user without name');
    return;
  }
  const value = sdkAttribute(user, condition.property);
  if (value === undefined) {
    if (FAILS_OPEN_ON_MISSING.has(op)) found.add('missing attribute');
    return;
  }
  if (REGEX.has(op) && regexDiffers(op, value, condition.value)) found.add('regex operands');
  if (NUMERIC.has(op) && (looseNumber(value) || looseNumber(condition.value))) found.add('numbers');
}

/** Every divergence the case may run into (empty: the SDK follows the spec on it). */
export function divergencesOf(testCase: FeatBitCase): Set<Divergence> {
  const { flag, segments, user } = testCase;
  const found = new Set<Divergence>();
  if (flag.isArchived) found.add('archived flag');
  const byId = new Map(segments.map((s) => [s.id, s]));
  for (const rule of flag.rules) {
    for (const condition of rule.conditions) {
      if (condition.property !== SEGMENT_IN && condition.property !== SEGMENT_NOT_IN) {
        conditionDivergences(condition, user, found);
        continue;
      }
      const ids = stringArray(condition.value);
      if (ids === null) found.add('bad segment list');
      for (const id of ids ?? []) {
        const segment = byId.get(id);
        if (segment === undefined) found.add('missing segment');
        else if (segment.isArchived) found.add('archived segment');
      }
    }
  }
  for (const segment of segments) {
    for (const rule of segment.rules) for (const condition of rule.conditions) conditionDivergences(condition, user, found);
  }
  for (const rollout of [...flag.rules, flag.fallthrough]) {
    const key = rollout.dispatchKey;
    if (key !== null && key.trim() !== '' && sdkAttribute(user, key) === undefined) found.add('dispatch attribute missing');
  }
  return found;
}

/**
 * Whether a rule match's `sendToExperiment` differs only because the Node SDK reads the fallthrough's
 * `includedInExpt` for every rule: then that one field is not compared.
 */
export function ruleExperimentDiverges(testCase: FeatBitCase, ours: FeatBitEvaluation): boolean {
  const { flag } = testCase;
  if (ours.kind !== 'rule_match' || flag.exptIncludeAllTargets) return false;
  const rule = flag.rules.find((r) => r.id === ours.ruleId);
  return rule !== undefined && Boolean(rule.includedInExpt) !== Boolean(flag.fallthrough?.includedInExpt);
}
