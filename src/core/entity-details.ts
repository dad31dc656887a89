import type { ComparableType, WireCompany, WireTrait, WireUser } from '../evaluators/schematic/engine';

/** A trait value as the API returns it: a number stays a number, a boolean a boolean. */
export type TraitValue = string | number | boolean | null | readonly TraitValue[] | { readonly [key: string]: TraitValue };

/**
 * A company or user as upserts return it, the same shape in every mode: keys by name (the API's key list,
 * flattened), and trait values typed as the API returns them (its `traits` map).
 */
export interface EntityDetail {
  readonly id: string;
  readonly keys: Readonly<Record<string, string>>;
  readonly name: string | null;
  readonly traits: Readonly<Record<string, TraitValue>>;
}

/** Context keys worth a lookup: an object with at least one key. */
export function hasKeys(keys: Record<string, string> | undefined): keys is Record<string, string> {
  if (keys === undefined || keys === null || typeof keys !== 'object') return false;
  // Asked on every lookup: a loop that stops at the first own key, where `Object.keys` would list them all.
  for (const name in keys) if (Object.hasOwn(keys, name)) return true;
  return false;
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

/** A trait stored as text, read back as its type says: the value a caller gave, not its text. */
export function typedTraitValue(text: string, type: ComparableType | 'number' | 'currency' | 'boolean' | (string & {}) | undefined): TraitValue {
  if (type === 'int' || type === 'number' || type === 'currency') {
    const number = text.trim() === '' ? Number.NaN : Number(text);
    return Number.isFinite(number) ? number : text;
  }
  if (type === 'bool' || type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  return text;
}

function traitsRecord(traits: readonly WireTrait[] | null | undefined): Record<string, TraitValue> {
  const record: Record<string, TraitValue> = {};
  for (const trait of traits ?? []) {
    const definition = trait.trait_definition;
    if (definition) record[definition.id.replace(/^(company|user)\./, '')] = typedTraitValue(trait.value, definition.comparable_type);
  }
  return record;
}

/** A stored company or user (local mode) as an upsert returns it. */
export function detailOf(entity: WireCompany | WireUser): EntityDetail {
  return {
    id: entity.id,
    keys: entity.keys ?? {},
    name: (entity as { name?: string }).name ?? null,
    traits: traitsRecord(entity.traits),
  };
}
