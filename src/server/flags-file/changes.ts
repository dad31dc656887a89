import type { WireTraitDefinition } from '../engine';
import type { VariantFlag } from '../variants/types';
import type { FlagsData } from './load';

/**
 * The keys of flags added, removed or changed between two loads of the flags file: a change to what a flag
 * serves (its variations, rollouts, `enabled`) counts even where its Schematic flag stays the same.
 */
export function changedFlagKeys(previous: FlagsData, next: FlagsData): string[] {
  const keys = new Set([...previous.wireFlags.keys(), ...next.wireFlags.keys()]);
  return [...keys].filter(
    (key) =>
      JSON.stringify(previous.wireFlags.get(key)) !== JSON.stringify(next.wireFlags.get(key)) ||
      variantText(previous.variants.get(key)) !== variantText(next.variants.get(key)),
  );
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

