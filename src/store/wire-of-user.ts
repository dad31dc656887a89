import type { ParsedUser, WireTrait, WireUser } from '../evaluators/schematic/engine';

/** What a user's wire form says beyond what its parsed form keeps (a `name`, rules of its own, fields to come). */
export type UserExtras = Readonly<Record<string, unknown>>;

/** The fields the parsed form keeps, read back by wireOfUser. */
const PARSED_FIELDS: ReadonlySet<string> = new Set(['id', 'account_id', 'environment_id', 'keys', 'traits']);

/** The user's fields the parsed form does not keep, or `null` when there are none (as for most users). */
export function userExtrasOf(wire: WireUser): UserExtras | null {
  let extras: Record<string, unknown> | null = null;
  for (const name in wire) {
    if (!Object.hasOwn(wire, name) || PARSED_FIELDS.has(name)) continue;
    const value = (wire as unknown as Record<string, unknown>)[name];
    // Empty rule lists are the common case and say nothing.
    if (value === undefined || value === null || (name === 'rules' && Array.isArray(value) && value.length === 0)) continue;
    (extras ??= {})[name] = value;
  }
  return extras;
}

/** The user's wire form, rebuilt from its parsed form and extras: what writes merge into and answers report. */
export function wireOfUser(user: ParsedUser, extras: UserExtras | null): WireUser {
  const traits: WireTrait[] = user.traits.all().map(({ definition, value }) =>
    definition === null
      ? { value }
      : { trait_definition: { id: definition.id, comparable_type: definition.comparableType, entity_type: definition.entityType }, value },
  );
  return { id: user.id, account_id: user.accountId, environment_id: user.environmentId, keys: { ...user.keys }, traits, ...extras };
}
