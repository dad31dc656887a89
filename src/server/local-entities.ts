import type { ComparableType, MetricPeriod, WireCompany, WireTrait, WireTraitDefinition, WireUser } from './engine';

/**
 * How identify, track and upserts change companies and users in local mode: pure functions from the stored
 * wire entity and the call's body to the new wire entity.
 */
const SCOPE = { account_id: 'local', environment_id: 'local' } as const;
const METRIC_PERIODS: readonly MetricPeriod[] = ['all_time', 'current_day', 'current_week', 'current_month'];

export type TraitDefinitionFor = (entity: 'company' | 'user', name: string, value: unknown) => WireTraitDefinition;

/** The definition a trait gets when no flag names it: its type read from the value. */
export function inferredDefinition(entity: 'company' | 'user', name: string, value: unknown): WireTraitDefinition {
  const type: ComparableType = typeof value === 'number' ? 'int' : typeof value === 'boolean' ? 'bool' : 'string';
  return { id: `${entity}.${name}`, comparable_type: type, entity_type: entity };
}

function traitText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Traits by name merged over the existing ones; `null` or `undefined` removes a trait. */
function mergeTraits(
  entity: 'company' | 'user',
  existing: readonly WireTrait[],
  updates: Record<string, unknown>,
  definitionFor: TraitDefinitionFor,
): WireTrait[] {
  const byId = new Map(existing.map((t) => [t.trait_definition?.id ?? '', t]));
  for (const [name, value] of Object.entries(updates)) {
    const definition = definitionFor(entity, name, value);
    if (value === null || value === undefined) byId.delete(definition.id);
    else byId.set(definition.id, { trait_definition: definition, value: traitText(value) });
  }
  return [...byId.values()];
}

export interface EntityUpdate {
  keys: Record<string, string>;
  name?: string | undefined;
  traits?: Record<string, unknown> | undefined;
  id?: string | undefined;
}

export function updatedCompany(existing: WireCompany | null, update: EntityUpdate, definitionFor: TraitDefinitionFor): WireCompany {
  const id = existing?.id ?? update.id ?? (Object.values(update.keys)[0] as string);
  return {
    ...SCOPE,
    plan_ids: [],
    metrics: [],
    ...existing,
    id,
    keys: { ...existing?.keys, ...update.keys },
    ...(update.name !== undefined ? { name: update.name } : {}),
    traits: mergeTraits('company', existing?.traits ?? [], update.traits ?? {}, definitionFor),
  } as WireCompany;
}

export function updatedUser(existing: WireUser | null, update: EntityUpdate, definitionFor: TraitDefinitionFor): WireUser {
  const id = existing?.id ?? update.id ?? (Object.values(update.keys)[0] as string);
  return {
    ...SCOPE,
    ...existing,
    id,
    keys: { ...existing?.keys, ...update.keys },
    ...(update.name !== undefined ? { name: update.name } : {}),
    traits: mergeTraits('user', existing?.traits ?? [], update.traits ?? {}, definitionFor),
  } as WireUser;
}

/** The company after `quantity` more of `event`, counted in every period (metrics created at 0 if new). */
export function trackedCompany(company: WireCompany, event: string, quantity: number): WireCompany {
  const metrics = [...(company.metrics ?? [])];
  for (const period of METRIC_PERIODS) {
    if (!metrics.some((m) => m.event_subtype === event && m.period === period)) {
      metrics.push({ ...SCOPE, company_id: company.id, event_subtype: event, period, month_reset: 'first_of_month', value: 0, created_at: new Date(0).toISOString() });
    }
  }
  return {
    ...company,
    metrics: metrics.map((m) => (m.event_subtype === event ? { ...m, value: m.value + quantity } : m)),
  };
}
