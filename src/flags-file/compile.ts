import type { MetricPeriod, WireCompany, WireFlag, WireRule, WireTrait, WireTraitDefinition, WireUser } from '../evaluators/schematic/engine';
import type { VariantFlag } from '../evaluators/schematic/variants/types';
import { fingerprint } from '../core/internal/fingerprint';
import { type DefinitionFor, numberAll, SCOPE, traitDefinitionId, typeOf, usageExceeded, wireConditions } from './compile-conditions';
import { type FlagPlan, planFlag } from './compile-variants';
import type { Expression } from './expression';
import type { EntityPrints } from './flags-data';
import type { PathProblem } from './locator';
import { readConditions, whenItems } from './read-conditions';
import type { ConciseCompany, ConciseFile, ConciseUser } from './schema';

// Named here too for the importers that have always taken it from the compiler.
export type { PathProblem } from './locator';

export interface CompiledFlags {
  readonly flags: WireFlag[];
  readonly companies: WireCompany[];
  readonly users: WireUser[];
  /** Flags whose values may be sent to browsers. */
  readonly clientKeys: string[];
  /** What flags with variations or rollouts serve, beside their Schematic flags (whose rules are markers). */
  readonly variants: VariantFlag[];
  /** Each flag's `description`, as `[key, text]`, for the flags that have one. */
  readonly descriptions: [string, string][];
  /** Each company's and user's declaration fingerprinted, when the reader made them (see FlagsData.entityPrints). */
  readonly prints?: EntityPrints;
}

const METRIC_PERIODS: readonly MetricPeriod[] = ['all_time', 'current_day', 'current_week', 'current_month'];
const RULE_TYPES = { standard: 'standard', entitlement: 'plan_entitlement', override: 'company_override' } as const;
const EXCEEDED_RULE_TYPES = { entitlement: 'plan_entitlement_usage_exceeded', override: 'company_override_usage_exceeded' } as const;

/** An entity's id: its `id`, or else the value of its first key. */
function entityId(entity: { id?: string | undefined; keys: Record<string, string> }): string {
  return entity.id ?? (Object.values(entity.keys)[0] as string);
}

/** Compiles the concise format to Schematic wire entities, or reports every problem it finds. */
export function compileConcise(file: ConciseFile): CompiledFlags | { problems: PathProblem[] } {
  const problems: PathProblem[] = [];
  const { rules: expressionsOf, traitTypes } = readConditions(file, problems);
  const plans = new Map<string, FlagPlan>();
  for (const [key, flag] of Object.entries(file.flags)) {
    const plan = planFlag(key, flag, (r) => ruleIdOf(key, r));
    if ('problems' in plan) problems.push(...plan.problems);
    else plans.set(key, plan);
  }
  if (problems.length > 0) return { problems };

  // One object per entity, trait and type, shared by every condition and entity that names it: a file with
  // thousands of users makes a handful, not one per trait of each user.
  const definitions = { company: new Map<string, WireTraitDefinition>(), user: new Map<string, WireTraitDefinition>() };
  const definition: DefinitionFor = (entity, trait, fallback): WireTraitDefinition => {
    const byName = definitions[entity];
    const known = byName.get(trait);
    if (known !== undefined && known.comparable_type === (traitTypes.get(known.id)?.type ?? fallback)) return known;
    const id = traitDefinitionId(entity, trait);
    const made = Object.freeze({ id, comparable_type: traitTypes.get(id)?.type ?? fallback, entity_type: entity });
    byName.set(trait, made);
    return made;
  };

  const flags = Object.entries(file.flags).map(([key, flag]): WireFlag => {
    const flagId = flagIdOf(key);
    const plan = plans.get(key) as FlagPlan;
    const ruleExpressions = expressionsOf.get(key) as Expression[][];
    const rules = flag.rules.flatMap((rule, r): WireRule[] => {
      const ruleId = ruleIdOf(key, r);
      const expressions = ruleExpressions[r] as Expression[];
      const { value, grants } = plan.rules[r] as FlagPlan['rules'][number];
      const when = whenItems(rule.when, []).map((item) => item.text);
      const base = { ...SCOPE, flag_id: flagId, name: rule.name ?? (when.join(' and ') || 'Always'), priority: r };
      const { type } = rule;
      const grant: WireRule = { ...base, id: ruleId, rule_type: RULE_TYPES[type], ...wireConditions(numberAll(expressions), ruleId, definition), value };
      // Limits on a grant also make the rule that reports them exceeded: see usageExceeded.
      if (type === 'standard' || !grants) return [grant];
      const limits = usageExceeded(expressions);
      return [
        grant,
        ...limits.map(({ index, numbered }): WireRule => {
          const id = limits.length === 1 ? `${ruleId}.exceeded` : `${ruleId}.exceeded_${index + 1}`;
          return { ...base, id, rule_type: EXCEEDED_RULE_TYPES[type], ...wireConditions(numbered, id, definition), value: false };
        }),
      ];
    });
    return { ...SCOPE, id: flagId, key, default_value: plan.defaultValue, rules };
  });

  // An entity's wire form follows from its declaration and the types conditions give its traits where those
  // differ from the values' own: together they tell a reload whether it changed, fingerprinted from the concise
  // JSON (a fifth of the wire JSON's length). A flag edit that retypes no trait of an entity leaves its print.
  // Both come from one pass over its traits.
  const compileEntities = <D extends ConciseCompany | ConciseUser, W>(entity: 'company' | 'user', declared: readonly D[], toWire: (entity: D, traits: WireTrait[]) => W) => {
    const wires: W[] = [];
    const prints: number[] = [];
    for (const one of declared) {
      const traits: WireTrait[] = [];
      let retyped = '';
      for (const [name, value] of Object.entries(one.traits)) {
        const own = typeOf(value);
        const trait_definition = definition(entity, name, own);
        if (trait_definition.comparable_type !== own) retyped += `${name}:${trait_definition.comparable_type};`;
        traits.push({ trait_definition, value: String(value) });
      }
      wires.push(toWire(one, traits));
      prints.push(fingerprint(JSON.stringify(one), retyped === '' ? 0 : fingerprint(retyped)));
    }
    return { wires, prints };
  };
  const companies = compileEntities('company', file.companies, toWireCompany);
  const users = compileEntities('user', file.users, toWireUser);

  return {
    flags,
    companies: companies.wires,
    users: users.wires,
    prints: { companies: companies.prints, users: users.prints },
    clientKeys: Object.entries(file.flags)
      .filter(([, flag]) => flag.client)
      .map(([key]) => key),
    variants: [...plans.values()].flatMap((plan) => (plan.variant ? [plan.variant] : [])),
    descriptions: Object.entries(file.flags).flatMap(([key, flag]): [string, string][] => (flag.description ? [[key, flag.description]] : [])),
  };
}

function flagIdOf(key: string): string {
  return `flag_${key}`;
}

function ruleIdOf(key: string, index: number): string {
  return `${flagIdOf(key)}.rule_${index + 1}`;
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
