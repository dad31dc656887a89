import { RULE_TYPE_ORDER } from '../../src/evaluators/schematic/engine/rule-order';
import type { EvaluationResult } from '../../src/engine';
import type { GeneratedCase } from './wire-generator';

/**
 * Tallies what generated cases exercise, so the differential suite can prove its reach: every condition
 * type, operator, comparable type, rule type that decides a check, metric period, preflight option, and
 * rejected input.
 */
/** A field in either spelling, from anything (mutated cases hold arbitrary values). */
function read(value: unknown, snake: string): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  return record[snake] ?? record[snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())];
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export class Coverage {
  readonly counts = new Map<string, number>();

  private add(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  record(testCase: GeneratedCase, result: EvaluationResult): void {
    const rules = [testCase.flag, testCase.company, testCase.user].flatMap((entity) => list(read(entity, 'rules')));
    for (const rule of rules) {
      const groups = list(read(rule, 'condition_groups'));
      if (groups.length > 0) this.add('rule with condition groups');
      if (groups.some((g) => Array.isArray(read(g, 'conditions')) && list(read(g, 'conditions')).length === 0)) {
        this.add('empty condition group');
      }
      for (const c of [...list(read(rule, 'conditions')), ...groups.flatMap((g) => list(read(g, 'conditions')))]) {
        const type = read(c, 'condition_type');
        this.add(`condition ${String(type)}`);
        this.add(`operator ${String(read(c, 'operator'))}`);
        const definition = read(c, 'trait_definition');
        if (type === 'trait' && definition) this.add(`trait type ${String(read(definition, 'comparable_type'))}`);
        if (type === 'metric') this.add(`metric period ${String(read(c, 'metric_period') ?? 'default')}`);
        if (read(c, 'comparison_trait_definition')) this.add('comparison trait');
      }
    }
    if (result.ruleType) this.add(`decided by ${result.ruleType}`);
    if (result.ruleType === null && result.err === null) this.add('no rule matched');
    if (result.entitlement) this.add('entitlement attached');
    if (result.featureUsageResetAt) this.add(`reset at ${result.featureUsagePeriod}`);
    if (result.featureAllocation !== null) this.add('usage fields reported');
    if (result.err?.startsWith('preflight')) this.add('negative preflight');
    if (result.err?.startsWith('[flagwire]')) this.add('rejected input');
    if (read(testCase.options, 'usage')) this.add('preflight usage');
    if (read(testCase.options, 'event_usage')) this.add('preflight event usage');
    if (read(testCase.options, 'credit_cost')) this.add('preflight credit cost');
    if (read(testCase.company, 'credit_postpaid')) this.add('postpaid credits');
  }

  /** The expected items seen fewer than `minimum` times. */
  missing(expected: readonly string[], minimum: number): string[] {
    return expected.filter((key) => (this.counts.get(key) ?? 0) < minimum);
  }
}

export const EXPECTED_COVERAGE = [
  ...['company', 'user', 'plan', 'plan_version', 'base_plan', 'billing_product', 'credit', 'metric', 'trait', 'unknown_type'].map(
    (t) => `condition ${t}`,
  ),
  ...['eq', 'ne', 'gt', 'lt', 'gte', 'lte', 'is_empty', 'not_empty'].map((o) => `operator ${o}`),
  ...['bool', 'date', 'int', 'string'].map((t) => `trait type ${t}`),
  ...['all_time', 'current_day', 'current_week', 'current_month', 'default'].map((p) => `metric period ${p}`),
  ...RULE_TYPE_ORDER.map((t) => `decided by ${t}`),
  ...['current_day', 'current_week', 'current_month'].map((p) => `reset at ${p}`),
  'rule with condition groups',
  'empty condition group',
  'comparison trait',
  'no rule matched',
  'entitlement attached',
  'usage fields reported',
  'negative preflight',
  'rejected input',
  'preflight usage',
  'preflight event usage',
  'preflight credit cost',
  'postpaid credits',
] as const;
