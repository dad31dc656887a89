import type { ComparableType, WireCondition, WireRule, WireTraitDefinition } from '../evaluators/schematic/engine';
import type { Expression, Scalar } from './expression';

/** Local entities share one account and environment; ids in the file are the ids conditions name. */
export const SCOPE = { account_id: 'local', environment_id: 'local' } as const;
const NEGATED_LIMITS = { '<': '>=', '<=': '>' } as const;
const OPERATORS = { '=': 'eq', '!=': 'ne', '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte' } as const;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export function typeOf(value: Scalar): ComparableType {
  if (typeof value === 'number') return 'int';
  if (typeof value === 'boolean') return 'bool';
  return RFC3339.test(value) ? 'date' : 'string';
}

export function traitDefinitionId(entity: 'company' | 'user', trait: string): string {
  return `${entity}.${trait}`;
}

export type DefinitionFor = (entity: 'company' | 'user', trait: string, fallback: ComparableType) => WireTraitDefinition;

/** An expression with its place in the rule's `when` list, which numbers its condition ids. */
export interface Numbered {
  readonly expression: Expression;
  readonly index: number;
}

export function numberAll(expressions: readonly Expression[]): Numbered[] {
  return expressions.map((expression, index) => ({ expression, index }));
}

/**
 * "On the plan, but over the limit", as Schematic models it. A grant rule whose limit no longer holds stops
 * matching, and without more the flag would fall through to "No rules matched" with no entitlement at all.
 * Schematic pairs each limited entitlement with a `plan_entitlement_usage_exceeded` rule (and each limited
 * override with a `company_override_usage_exceeded` one) of value false: the same conditions with the limit
 * negated (`< 3` becomes `>= 3`, `<= 3` becomes `> 3`). The engine tries it after every grant rule and before
 * standard rules, so a company on the plan at its limit gets false from that rule: `exceeded` is true and the
 * usage and allocation are reported. A company not on the plan matches neither rule, as before.
 *
 * Only upper limits (`<`, `<=`) of a rule that grants (value true) get one; a rule with several limits gets
 * one per limit, since going over any of them ends the grant. The negated limit comes first in its rule, as
 * usage is reported on a rule's first metric or trait condition.
 */
export function usageExceeded(expressions: readonly Expression[]): { index: number; numbered: Numbered[] }[] {
  return expressions.flatMap((expression, index) => {
    if (expression.kind !== 'metric' || (expression.comparison !== '<' && expression.comparison !== '<=')) return [];
    const negated: Expression = { ...expression, comparison: NEGATED_LIMITS[expression.comparison] };
    const others = numberAll(expressions).filter((n) => n.index !== index);
    return [{ index, numbered: [{ expression: negated, index }, ...others] }];
  });
}

/** A rule's conditions and condition groups (an `in` list on a trait is a group: any one item holds). */
export function wireConditions(numbered: readonly Numbered[], ruleId: string, definition: DefinitionFor): Pick<WireRule, 'conditions' | 'condition_groups'> {
  const conditions: WireCondition[] = [];
  const groups: { conditions: WireCondition[] }[] = [];
  for (const { expression, index } of numbered) {
    const made = toConditions(expression, `${ruleId}.c${index + 1}`, definition);
    if (made.anyOf) groups.push({ conditions: made.conditions });
    else conditions.push(...made.conditions);
  }
  return { conditions, condition_groups: groups };
}

/** One expression as wire conditions; `anyOf` when they form a group (an `in` list on a trait). */
function toConditions(expression: Expression, id: string, definition: DefinitionFor): { conditions: WireCondition[]; anyOf: boolean } {
  const base = { ...SCOPE, resource_ids: [] as string[], trait_value: '' };
  switch (expression.kind) {
    case 'id':
      return {
        conditions: [{ ...base, id, condition_type: expression.entity, operator: expression.negate ? 'ne' : 'eq', resource_ids: expression.values }],
        anyOf: false,
      };
    case 'plan':
      return { conditions: [{ ...base, id, condition_type: 'plan', operator: expression.negate ? 'ne' : 'eq', resource_ids: expression.values }], anyOf: false };
    case 'metric':
      return {
        conditions: [
          {
            ...base,
            id,
            condition_type: 'metric',
            operator: OPERATORS[expression.comparison],
            event_subtype: expression.event,
            metric_value: expression.limit,
            metric_period: expression.period,
            metric_period_month_reset: 'first_of_month',
          },
        ],
        anyOf: false,
      };
    case 'presence':
      return {
        conditions: [
          {
            ...base,
            id,
            condition_type: 'trait',
            operator: expression.set ? 'not_empty' : 'is_empty',
            trait_definition: definition(expression.entity, expression.trait, 'string'),
          },
        ],
        anyOf: false,
      };
    case 'trait': {
      const conditions = expression.values.map(
        (value, i): WireCondition => ({
          ...base,
          id: `${id}.${i + 1}`,
          condition_type: 'trait',
          operator: OPERATORS[expression.comparison],
          trait_value: String(value),
          trait_definition: definition(expression.entity, expression.trait, typeOf(value)),
        }),
      );
      // "in [a, b]" holds when any item matches; "not in [a, b]" when none does (every `ne` holds).
      return { conditions, anyOf: expression.list && expression.comparison === '=' };
    }
  }
}
