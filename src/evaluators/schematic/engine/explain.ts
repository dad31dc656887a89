import { checkCondition, HOLDS, type Subjects, UNDECIDABLE } from './conditions';
import { candidateRules, type EvaluationResult, evaluate } from './evaluate';
import type { ParsedCondition, ParsedFlag, ParsedRule } from './parsed-types';
import { RULE_TYPE_ORDER } from './rule-order';

export type ConditionVerdict = 'holds' | 'fails' | 'undecidable';

export interface ConditionExplanation {
  readonly condition: ParsedCondition;
  /** The condition group it belongs to (any one must hold), or `null` for the rule's own conditions (all must hold). */
  readonly group: number | null;
  readonly verdict: ConditionVerdict;
}

export interface RuleExplanation {
  readonly rule: ParsedRule;
  /** `matched` decided the check; `skipped` rules were never reached because an earlier one matched. */
  readonly outcome: 'matched' | 'did not match' | 'skipped';
  /** Global overrides and default rules match whatever their conditions say. */
  readonly unconditional: boolean;
  readonly conditions: readonly ConditionExplanation[];
}

export interface FlagExplanation {
  readonly result: EvaluationResult;
  readonly rules: readonly RuleExplanation[];
}

const UNCONDITIONAL = new Set([RULE_TYPE_ORDER.indexOf('global_override'), RULE_TYPE_ORDER.indexOf('default')]);

function verdict(condition: ParsedCondition, subjects: Subjects): ConditionVerdict {
  const outcome = checkCondition(condition, subjects);
  return outcome === HOLDS ? 'holds' : outcome === UNDECIDABLE ? 'undecidable' : 'fails';
}

/**
 * Every rule a check considered, in the order it considered them, with each condition's verdict: what
 * `flagwire explain` prints. The result is the same `evaluate` gives.
 */
export function explain(flag: ParsedFlag, subjects: Subjects, nowMs: number): FlagExplanation {
  const result = evaluate(flag, subjects, nowMs);
  const rules = candidateRules(flag, subjects.company, subjects.user).map((rule): RuleExplanation => {
    const conditions = [
      ...rule.conditions.map((condition) => ({ condition, group: null, verdict: verdict(condition, subjects) })),
      ...rule.conditionGroups.flatMap((group, i) => group.map((condition) => ({ condition, group: i, verdict: verdict(condition, subjects) }))),
    ];
    return { rule, outcome: 'did not match', unconditional: UNCONDITIONAL.has(rule.typeRank), conditions };
  });
  const matchedAt = rules.findIndex((r) => r.rule.id === result.ruleId && result.ruleType === r.rule.ruleType);
  return {
    result,
    rules: rules.map((r, i) => (matchedAt === -1 || i < matchedAt ? r : { ...r, outcome: i === matchedAt ? 'matched' : 'skipped' })),
  };
}
