import type { WireTraitDefinition } from '../evaluators/schematic/engine';
import type { VariantFlag } from '../evaluators/schematic/variants/types';
import type { FlagsData } from './flags-data';

/** A variant table as text to compare: the outcomes map as entries; the dispatch prefix follows from the key. */
export function variantText(variant: VariantFlag | undefined): string {
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

