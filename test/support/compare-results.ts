import { isDeepStrictEqual } from 'node:util';
import { evaluateValue } from '../../src/evaluators/schematic/engine';
import { INVALID_ENTITY_REASON } from '../../src/server/index';
import { type EvaluationResult, evaluateFlag, parseCheckOptions, parseCompany, parseFlag, parseUser } from '../../src/engine';
import { oracleCheck } from './wasm-oracle';
import type { GeneratedCase } from './wire-generator';

export const RESULT_FIELDS = [
  'value',
  'reason',
  'err',
  'ruleId',
  'ruleType',
  'companyId',
  'userId',
  'flagId',
  'flagKey',
  'entitlement',
  'featureAllocation',
  'featureUsage',
  'featureUsageEvent',
  'featureUsagePeriod',
  'featureUsageResetAt',
] as const;

export interface Disagreement {
  fields: string[];
  oracle: unknown;
  ours: EvaluationResult;
}

export interface Comparison {
  ours: EvaluationResult;
  /** `null` when the engines agree on every field, or both reject the input. */
  disagreement: Disagreement | null;
}

/** Runs one case through both engines and compares every result field. */
export function compareEngines(testCase: GeneratedCase): Comparison {
  const ours = evaluateCase(testCase);
  return { ours, disagreement: findDisagreement(testCase, ours) };
}

export function disagreement(testCase: GeneratedCase): Disagreement | null {
  return compareEngines(testCase).disagreement;
}

function evaluateCase(testCase: GeneratedCase): EvaluationResult {
  const { flag, company, user, options, nowMs } = testCase;
  return evaluateFlag(flag as never, company as never, user as never, { ...(options ?? {}), now: nowMs } as never);
}

function findDisagreement(testCase: GeneratedCase, ours: EvaluationResult): Disagreement | null {
  const { flag, company, user, options, nowMs } = testCase;
  const oracle = oracleCheck(flag, company, user, options, nowMs);
  const weRejected = ours.reason === INVALID_ENTITY_REASON && ours.err !== null;
  if (!oracle.ok) return weRejected ? null : { fields: ['<oracle rejected the input>'], oracle: oracle.error, ours };
  if (weRejected) return { fields: ['<flagwire rejected the input>'], oracle: oracle.result, ours };
  const fields: string[] = RESULT_FIELDS.filter((field) => !isDeepStrictEqual(oracle.result[field] ?? null, ours[field]));
  // The value-only path (what isEnabled uses) must decide the same.
  if (valueOnly(testCase) !== oracle.result.value) fields.push('<evaluateValue>');
  return fields.length === 0 ? null : { fields, oracle: oracle.result, ours };
}

function valueOnly({ flag, company, user, options }: GeneratedCase): boolean {
  const subjects = {
    company: company ? parseCompany(company) : null,
    user: user ? parseUser(user) : null,
    options: options ? parseCheckOptions(options) : null,
  };
  return evaluateValue(parseFlag(flag), subjects);
}
