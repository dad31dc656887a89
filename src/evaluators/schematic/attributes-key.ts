import type { EvaluationContext } from '../../core/types';
import type { ParsedFlag } from './engine';
import type { ParsedCondition } from './engine/parsed-types';

/** The request attributes conditions read, by entity: names under `attributes.company` and `attributes.user`. */
export interface ReadAttributes {
  readonly company: readonly string[];
  readonly user: readonly string[];
}

/** Every attribute the flags' conditions compare (`user.country = DE` reads `attributes.user.country`). */
export function attributesConditionsRead(flags: Iterable<ParsedFlag>): ReadAttributes {
  const names = { company: new Set<string>(), user: new Set<string>() };
  const add = (id: string | undefined): void => {
    const dot = id === undefined ? -1 : id.indexOf('.');
    const entity = id?.slice(0, dot);
    if (entity === 'company' || entity === 'user') names[entity].add((id as string).slice(dot + 1));
  };
  const read = (condition: ParsedCondition): void => {
    add(condition.traitDefinition?.id);
    add(condition.comparisonTraitDefinition?.id);
  };
  for (const flag of flags) {
    for (const rule of flag.orderedRules) {
      rule.conditions.forEach(read);
      for (const group of rule.conditionGroups) group.forEach(read);
    }
  }
  return { company: [...names.company].sort(), user: [...names.user].sort() };
}

/**
 * The values of the attributes conditions read, as one string that tells any two sets of values apart (each value
 * typed, texts with their length): what results kept for a company and user depend on beyond them. `null` when
 * a value read is not a string, number or boolean, and such a request is evaluated afresh.
 */
export function attributesKey(context: EvaluationContext, read: ReadAttributes): string | null {
  let key = '';
  for (const entity of ['company', 'user'] as const) {
    const given = context.attributes?.[entity];
    for (const name of read[entity]) {
      const value: unknown = given !== undefined && given !== null && Object.hasOwn(given, name) ? given[name] : undefined;
      if (typeof value === 'string') key += `s${value.length}:${value}`;
      else if (typeof value === 'number') key += `n${value};`;
      else if (typeof value === 'boolean') key += value ? 't' : 'f';
      else if (value === undefined) key += '-';
      else return null;
    }
  }
  return key;
}
