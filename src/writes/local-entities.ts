import type { ComparableType, MetricPeriod, WireCompany, WireTrait, WireTraitDefinition, WireUser } from '../evaluators/schematic/engine';

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

/** The keys after an update; a new entity's are one spread of the update's (see WireReader.stringMap for why). */
function mergedKeys(existing: Readonly<Record<string, string>> | null | undefined, update: Record<string, string>): Record<string, string> {
  return existing === undefined || existing === null ? { ...update } : { ...existing, ...update };
}

export function updatedCompany(existing: WireCompany | null, update: EntityUpdate, definitionFor: TraitDefinitionFor): WireCompany {
  const id = existing?.id ?? update.id ?? (Object.values(update.keys)[0] as string);
  return {
    ...SCOPE,
    plan_ids: [],
    metrics: [],
    ...existing,
    id,
    keys: mergedKeys(existing?.keys, update.keys),
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
    keys: mergedKeys(existing?.keys, update.keys),
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

type Entity = WireCompany | WireUser;
type Metric = NonNullable<WireCompany['metrics']>[number];

const metricId = (m: Metric) => `${m.event_subtype}\u0000${m.period}\u0000${m.month_reset}`;
const traitId = (t: WireTrait) => t.trait_definition?.id ?? '';

/** Items of `stored` by id, with those `before` → `after` changed set to `after`'s (or removed when `after` dropped them). */
function rebasedItems<T>(stored: readonly T[], before: readonly T[], after: readonly T[], idOf: (item: T) => string): T[] {
  const merged = new Map(stored.map((item) => [idOf(item), item]));
  const was = new Map(before.map((item) => [idOf(item), JSON.stringify(item)]));
  const now = new Map(after.map((item) => [idOf(item), item]));
  for (const [id, text] of was) if (!now.has(id) && JSON.stringify(merged.get(id)) === text) merged.delete(id);
  for (const [id, item] of now) if (was.get(id) !== JSON.stringify(item)) merged.set(id, item);
  return [...merged.values()];
}

/**
 * Usage after a reload: what the app tracked since the file was read stays, and a count the file changed
 * moves the total by the same amount. So no tracked event is lost or counted twice, however a reload and
 * `track()` calls interleave.
 */
function rebasedMetrics(stored: readonly Metric[], before: readonly Metric[], after: readonly Metric[]): Metric[] {
  const merged = new Map(stored.map((m) => [metricId(m), m]));
  const was = new Map(before.map((m) => [metricId(m), m.value]));
  for (const metric of after) {
    const id = metricId(metric);
    const current = merged.get(id);
    const delta = metric.value - (was.get(id) ?? 0);
    merged.set(id, current ? { ...current, value: current.value + delta } : metric);
  }
  return [...merged.values()];
}

/**
 * A company or user the flags file declares, after the file changed it: the stored entity (with what
 * identify, upserts and track did at runtime) takes the fields the file changed between its two versions,
 * so the newer word wins field by field. Usage adds up rather than being replaced (see `rebasedMetrics`).
 * `before` is `null` when the file declares the entity for the first time.
 */
export function rebasedOnFile<E extends Entity>(stored: E | null, before: E | null, after: E): E {
  if (stored === null) return after;
  const was = (before ?? {}) as Record<string, unknown>;
  const next: Record<string, unknown> = { ...stored };
  for (const field of new Set([...Object.keys(was), ...Object.keys(after)])) {
    if (field === 'keys' || field === 'traits' || field === 'metrics' || field === 'id') continue;
    const value = (after as unknown as Record<string, unknown>)[field];
    if (JSON.stringify(was[field]) === JSON.stringify(value)) continue;
    if (value === undefined) delete next[field];
    else next[field] = value;
  }
  const keyList = (keys: Record<string, string> | null | undefined) => Object.entries(keys ?? {});
  next.keys = Object.fromEntries(rebasedItems(keyList(stored.keys), keyList(before?.keys), keyList(after.keys), ([name]) => name));
  next.traits = rebasedItems(stored.traits ?? [], before?.traits ?? [], after.traits ?? [], traitId);
  if ('metrics' in after) {
    const metrics = (entity: Entity | null) => ((entity as WireCompany | null)?.metrics ?? []) as Metric[];
    next.metrics = rebasedMetrics(metrics(stored), metrics(before), metrics(after));
  }
  return next as E;
}
