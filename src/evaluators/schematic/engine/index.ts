export { evaluate, evaluateValue, matchingRule, NO_RULE_MATCHED } from './evaluate';
export { explain } from './explain';
export type { ConditionExplanation, ConditionVerdict, FlagExplanation, RuleExplanation } from './explain';
export type { Subjects } from './conditions';
export type { EvaluationResult } from './evaluate';
export { parseFlag } from './parse-flag';
export { parseCompany, parseEntitlement, parseUser } from './parse-subjects';
export { parseCheckOptions } from './parse-options';
export { parseDate } from './parse-date';
export { coerce } from './coerce';
export { PARSED } from './parsed-types';
export type {
  Entitlement,
  MemoSlot,
  ParsedCheckOptions,
  ParsedCompany,
  ParsedFlag,
  ParsedRule,
  ParsedTrait,
  ParsedUser,
  WarningTier,
} from './parsed-types';
export type { UsageFields } from './usage';
export type * from './wire-types';
