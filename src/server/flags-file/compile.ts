import type {
  ComparableType,
  MetricPeriod,
  WireCompany,
  WireCondition,
  WireFlag,
  WireRule,
  WireTrait,
  WireTraitDefinition,
  WireUser,
} from '../engine';
import { type Expression, ExpressionError, parseExpression, type Scalar } from './expression';
import type { ConciseCompany, ConciseFile, ConciseRule, ConciseUser } from './schema';

/** Where a problem is in the file, as a path of object keys and array indexes. */
export interface PathProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** Placed at the property's name rather than its value: for a name that is itself the problem. */
  readonly atName?: boolean;
}

export interface CompiledFlags {
  readonly flags: WireFlag[];
  readonly companies: WireCompany[];
  readonly users: WireUser[];
  /** Flags whose values may be sent to browsers. */
  readonly clientKeys: string[];
}

/** Local entities share one account and environment; ids in the file are the ids conditions name. */
const SCOPE = { account_id: 'local', environment_id: 'local' } as const;
const METRIC_PERIODS: readonly MetricPeriod[] = ['all_time', 'current_day', 'current_week', 'current_month'];
const RULE_TYPES = { standard: 'standard', entitlement: 'plan_entitlement', override: 'company_override' } as const;
const EXCEEDED_RULE_TYPES = { entitlement: 'plan_entitlement_usage_exceeded', override: 'company_override_usage_exceeded' } as const;
const NEGATED_LIMITS = { '<': '>=', '<=': '>' } as const;
const OPERATORS = { '=': 'eq', '!=': 'ne', '>': 'gt', '>=': 'gte', '<': 'lt', '<=': 'lte' } as const;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function typeOf(value: Scalar): ComparableType {
  if (typeof value === 'number') return 'int';
  if (typeof value === 'boolean') return 'bool';
  return RFC3339.test(value) ? 'date' : 'string';
}

function traitDefinitionId(entity: 'company' | 'user', trait: string): string {
  return `${entity}.${trait}`;
}

/** An entity's id: its `id`, or else the value of its first key. */
function entityId(entity: { id?: string | undefined; keys: Record<string, string> }): string {
  return entity.id ?? (Object.values(entity.keys)[0] as string);
}

/** Compiles the concise format to Schematic wire entities, or reports every problem it finds. */
export function compileConcise(file: ConciseFile): CompiledFlags | { problems: PathProblem[] } {
  const problems: PathProblem[] = [];
  const expressions = new Map<string, Expression>();
  const traitTypes = new Map<string, { type: ComparableType; path: readonly (string | number)[] }>();

  // First pass: read every condition and settle each trait's type, so entities and conditions agree.
  for (const [key, flag] of Object.entries(file.flags)) {
    flag.rules.forEach((rule, r) => {
      whenList(rule).forEach((text, w) => {
        const path = ['flags', key, 'rules', r, 'when', ...(Array.isArray(rule.when) ? [w] : [])];
        try {
          const expression = parseExpression(text);
          expressions.set(path.join('\u0000'), expression);
          if (expression.kind === 'trait') {
            const id = traitDefinitionId(expression.entity, expression.trait);
            const types = new Set(expression.values.map(typeOf));
            const type = types.size === 1 ? ([...types][0] as ComparableType) : 'string';
            const seen = traitTypes.get(id);
            if (seen && seen.type !== type) {
              problems.push({ path, message: `${id} is compared as ${type} here but as ${seen.type} at ${seen.path.join('.')}` });
            } else traitTypes.set(id, { type, path });
          }
        } catch (error) {
          if (!(error instanceof ExpressionError)) throw error;
          problems.push({ path, message: error.message });
        }
      });
    });
  }
  if (problems.length > 0) return { problems };

  const expressionAt = (path: readonly (string | number)[]) => expressions.get(path.join('\u0000')) as Expression;
  const definition = (entity: 'company' | 'user', trait: string, fallback: ComparableType): WireTraitDefinition => {
    const id = traitDefinitionId(entity, trait);
    return { id, comparable_type: traitTypes.get(id)?.type ?? fallback, entity_type: entity };
  };

  const flags = Object.entries(file.flags).map(([key, flag]): WireFlag => {
    const flagId = `flag_${key}`;
    const rules = flag.rules.flatMap((rule, r): WireRule[] => {
      const ruleId = `${flagId}.rule_${r + 1}`;
      const expressions = whenList(rule).map((_, w) => expressionAt(['flags', key, 'rules', r, 'when', ...(Array.isArray(rule.when) ? [w] : [])]));
      const base = { ...SCOPE, flag_id: flagId, name: rule.name ?? (whenList(rule).join(' and ') || 'Always'), priority: r };
      const conditionsOf = (id: string, numbered: readonly Numbered[]) => wireConditions(numbered, id, definition);
      const { type } = rule;
      const grant: WireRule = { ...base, id: ruleId, rule_type: RULE_TYPES[type], ...conditionsOf(ruleId, numberAll(expressions)), value: rule.value };
      // Limits on a grant also make the rule that reports them exceeded: see usageExceeded.
      if (type === 'standard' || !rule.value) return [grant];
      const limits = usageExceeded(expressions);
      return [
        grant,
        ...limits.map(({ index, numbered }): WireRule => {
          const id = limits.length === 1 ? `${ruleId}.exceeded` : `${ruleId}.exceeded_${index + 1}`;
          return { ...base, id, rule_type: EXCEEDED_RULE_TYPES[type], ...conditionsOf(id, numbered), value: false };
        }),
      ];
    });
    return { ...SCOPE, id: flagId, key, default_value: flag.default, rules };
  });

  const traitsOf = (entity: 'company' | 'user', traits: Record<string, Scalar>): WireTrait[] =>
    Object.entries(traits).map(([name, value]) => ({ trait_definition: definition(entity, name, typeOf(value)), value: String(value) }));

  return {
    flags,
    companies: file.companies.map((c) => toWireCompany(c, traitsOf('company', c.traits))),
    users: file.users.map((u) => toWireUser(u, traitsOf('user', u.traits))),
    clientKeys: Object.entries(file.flags)
      .filter(([, flag]) => flag.client)
      .map(([key]) => key),
  };
}

function whenList(rule: ConciseRule): string[] {
  return rule.when === undefined ? [] : Array.isArray(rule.when) ? rule.when : [rule.when];
}

type DefinitionFor = (entity: 'company' | 'user', trait: string, fallback: ComparableType) => WireTraitDefinition;

/** An expression with its place in the rule's `when` list, which numbers its condition ids. */
interface Numbered {
  readonly expression: Expression;
  readonly index: number;
}

function numberAll(expressions: readonly Expression[]): Numbered[] {
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
function usageExceeded(expressions: readonly Expression[]): { index: number; numbered: Numbered[] }[] {
  return expressions.flatMap((expression, index) => {
    if (expression.kind !== 'metric' || (expression.comparison !== '<' && expression.comparison !== '<=')) return [];
    const negated: Expression = { ...expression, comparison: NEGATED_LIMITS[expression.comparison] };
    const others = numberAll(expressions).filter((n) => n.index !== index);
    return [{ index, numbered: [{ expression: negated, index }, ...others] }];
  });
}

/** A rule's conditions and condition groups (an `in` list on a trait is a group: any one item holds). */
function wireConditions(numbered: readonly Numbered[], ruleId: string, definition: DefinitionFor): Pick<WireRule, 'conditions' | 'condition_groups'> {
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

function toWireCompany(company: ConciseCompany, traits: WireTrait[]): WireCompany {
  const id = entityId(company);
  const plans = [...(company.plan ? [company.plan] : []), ...(company.plans ?? [])];
  return {
    ...SCOPE,
    id,
    keys: company.keys,
    ...(company.name ? { name: company.name } : {}),
    traits,
    base_plan_id: company.plan ?? null,
    plan_ids: [...new Set(plans)],
    // Usage counts in every period, so a limit "per month" and one "all time" both see it.
    metrics: Object.entries(company.usage).flatMap(([event, value]) =>
      METRIC_PERIODS.map((period) => ({
        ...SCOPE,
        company_id: id,
        event_subtype: event,
        period,
        month_reset: 'first_of_month' as const,
        value,
        created_at: '1970-01-01T00:00:00Z',
      })),
    ),
  } as WireCompany;
}

function toWireUser(user: ConciseUser, traits: WireTrait[]): WireUser {
  return { ...SCOPE, id: entityId(user), keys: user.keys, ...(user.name ? { name: user.name } : {}), traits } as WireUser;
}
