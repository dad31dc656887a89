import type { WireCompany, WireUser } from './engine';

/** A company or user as upserts return it. */
export interface EntityDetail {
  readonly id: string;
  readonly keys: Readonly<Record<string, string>>;
  readonly name: string | null;
  readonly traits: Readonly<Record<string, string>>;
}

/** Context keys worth a lookup: an object with at least one key. */
export function hasKeys(keys: Record<string, string> | undefined): keys is Record<string, string> {
  return keys !== undefined && keys !== null && typeof keys === 'object' && Object.keys(keys).length > 0;
}

/** Keys an entity can be stored under: at least one, every value a non-empty string. */
export function validKeys(keys: unknown): keys is Record<string, string> {
  return (
    typeof keys === 'object' &&
    keys !== null &&
    Object.keys(keys).length > 0 &&
    Object.values(keys).every((v) => typeof v === 'string' && v !== '')
  );
}

function traitsRecord(entity: { traits?: { trait_definition?: { id: string } | null; value: string }[] | null }): Record<string, string> {
  const traits: Record<string, string> = {};
  for (const trait of entity.traits ?? []) {
    if (trait.trait_definition) traits[trait.trait_definition.id.replace(/^(company|user)\./, '')] = trait.value;
  }
  return traits;
}

export function detailOf(entity: WireCompany | WireUser): EntityDetail {
  return {
    id: entity.id,
    keys: entity.keys ?? {},
    name: (entity as { name?: string }).name ?? null,
    traits: traitsRecord(entity),
  };
}

