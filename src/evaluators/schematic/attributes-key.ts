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

/** The key of requests whose attributes conditions read none. */
export const NO_ATTRIBUTES_READ: unique symbol = Symbol('no attributes read');

/**
 * What tells requests apart by the attributes conditions read (`null` when this one cannot be kept: a value
 * read that is not a string, number or boolean). With one attribute read, as is common, its value itself: a Map
 * tells `'7'` from `7` and `true` from `'true'`, and a text the request already holds is hashed once. With
 * several, one string that tells any two sets of values apart (each value typed, texts with their length).
 */
export type AttributesKey = string | number | boolean | undefined | typeof NO_ATTRIBUTES_READ;

export function attributesKey(context: EvaluationContext, read: ReadAttributes): AttributesKey | null {
  const count = read.company.length + read.user.length;
  if (count === 0) return NO_ATTRIBUTES_READ;
  if (count === 1) {
    const entity = read.user.length === 1 ? 'user' : 'company';
    const value = valueOf(context, entity, read[entity][0] as string);
    return value === undefined || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
  }
  let key = '';
  for (const entity of ['company', 'user'] as const) {
    for (const name of read[entity]) {
      const value = valueOf(context, entity, name);
      if (typeof value === 'string') key += `s${value.length}:${value}`;
      else if (typeof value === 'number') key += `n${value};`;
      else if (typeof value === 'boolean') key += value ? 't' : 'f';
      else if (value === undefined) key += '-';
      else return null;
    }
  }
  return key;
}

function valueOf(context: EvaluationContext, entity: 'company' | 'user', name: string): unknown {
  const given = context.attributes?.[entity];
  return given !== undefined && given !== null && Object.hasOwn(given, name) ? given[name] : undefined;
}
