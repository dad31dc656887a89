import { type EntityDetail, type TraitValue, typedTraitValue } from '../core/entity-details';
import { ApiError } from '../core/errors';

/**
 * What `POST /companies` and `POST /users` answer (`CompanyDetailResponseData`, `UserDetailResponseData` in
 * Schematic's SDK), in wire snake_case: only the parts an upsert result reads.
 */
export interface EntityDetailResponseData {
  id: string;
  name?: string | null;
  /** One entry per key (`EntityKeyDetailResponseData`). */
  keys?: readonly { key?: unknown; value?: unknown }[] | Readonly<Record<string, unknown>> | null;
  /** Trait values by name, typed. */
  traits?: Readonly<Record<string, unknown>> | null;
  /** One entry per trait, each value as text with its definition (`EntityTraitDetailResponseData`). */
  entity_traits?: readonly { definition_id?: unknown; value?: unknown; definition?: { display_name?: unknown; trait_type?: unknown } | null }[] | null;
}

/** Keys by name, from the API's list of key details (or a map, as some stand-ins answer). */
function keysOf(keys: EntityDetailResponseData['keys'], sent: Readonly<Record<string, string>>): Record<string, string> {
  if (Array.isArray(keys)) {
    const record: Record<string, string> = {};
    for (const entry of keys) if (typeof entry?.key === 'string' && typeof entry.value === 'string') record[entry.key] = entry.value;
    return record;
  }
  if (keys && typeof keys === 'object') {
    return Object.fromEntries(Object.entries(keys).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  }
  return { ...sent };
}

/** Traits by name: the API's typed `traits` map, or read from its `entity_traits` list when the map is absent. */
function traitsOf(data: EntityDetailResponseData): Record<string, TraitValue> {
  if (data.traits && typeof data.traits === 'object' && !Array.isArray(data.traits)) return { ...(data.traits as Record<string, TraitValue>) };
  const record: Record<string, TraitValue> = {};
  for (const trait of data.entity_traits ?? []) {
    const name = trait?.definition?.display_name ?? trait?.definition_id;
    if (typeof name !== 'string' || typeof trait.value !== 'string') continue;
    const type = trait.definition?.trait_type;
    record[name] = typedTraitValue(trait.value, typeof type === 'string' ? type : undefined);
  }
  return record;
}

/** An upsert's answer as the result every mode returns. @throws ApiError when the answer has no id. */
export function entityDetailOf(data: EntityDetailResponseData | undefined, path: string, sentKeys: Readonly<Record<string, string>>): EntityDetail {
  if (!data || typeof data.id !== 'string') throw new ApiError('invalid_response', `POST ${path} answered without the entity's id`, { body: data });
  return { id: data.id, keys: keysOf(data.keys, sentKeys), name: typeof data.name === 'string' ? data.name : null, traits: traitsOf(data) };
}
