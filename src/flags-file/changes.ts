import type { WireTraitDefinition } from '../server/engine';
import type { VariantFlag } from '../server/variants/types';
import type { FlagsData } from './load';

/**
 * The keys of flags added, removed or changed between two loads of the flags file: a change to what a flag
 * serves (its variations, rollouts, `enabled`) counts even where its Schematic flag stays the same.
 */
export function changedFlagKeys(previous: FlagsData, next: FlagsData): string[] {
  if (previous.featbit || next.featbit) return changedFeatBitKeys(previous.featbit?.flagText, next.featbit?.flagText, previous.featbit?.segmentText, next.featbit?.segmentText);
  const keys = new Set([...previous.wireFlags.keys(), ...next.wireFlags.keys()]);
  return [...keys].filter(
    (key) =>
      JSON.stringify(previous.wireFlags.get(key)) !== JSON.stringify(next.wireFlags.get(key)) ||
      variantText(previous.variants.get(key)) !== variantText(next.variants.get(key)),
  );
}

/**
 * FeatBit flags whose text changed. A segment change may change the answer of any flag naming it; the file
 * does not say which, so every flag counts as changed then (a reload is rare, and a live page only refetches).
 */
function changedFeatBitKeys(
  before: ReadonlyMap<string, string> = new Map(),
  after: ReadonlyMap<string, string> = new Map(),
  segmentsBefore: ReadonlyMap<string, string> = new Map(),
  segmentsAfter: ReadonlyMap<string, string> = new Map(),
): string[] {
  const keys = [...new Set([...before.keys(), ...after.keys()])];
  const segmentIds = new Set([...segmentsBefore.keys(), ...segmentsAfter.keys()]);
  if ([...segmentIds].some((id) => segmentsBefore.get(id) !== segmentsAfter.get(id))) return keys;
  return keys.filter((key) => before.get(key) !== after.get(key));
}

/** A variant table as text to compare: the outcomes map as entries; the dispatch prefix follows from the key. */
function variantText(variant: VariantFlag | undefined): string {
  if (variant === undefined) return '';
  const { dispatchPrefix: _, outcomes, ...rest } = variant;
  return JSON.stringify({ ...rest, outcomes: [...outcomes] });
}

/** Every trait definition the flags' conditions use, by id: the types identify and upserts give traits. */
export function collectTraitDefinitions(data: FlagsData): Map<string, WireTraitDefinition> {
  const definitions = new Map<string, WireTraitDefinition>();
  for (const flag of data.wireFlags.values()) {
    for (const rule of flag.rules ?? []) {
      const conditions = [...(rule.conditions ?? []), ...(rule.condition_groups ?? []).flatMap((g) => g.conditions ?? [])];
      for (const condition of conditions) {
        if (condition.trait_definition) definitions.set(condition.trait_definition.id, condition.trait_definition);
      }
    }
  }
  return definitions;
}

