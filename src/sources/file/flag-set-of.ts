import type { FlagSet } from '../../core/flag-set';
import { FeatBitFlagSet } from '../../evaluators/featbit/featbit-flags';
import type { ParsedFeatBitFlag } from '../../evaluators/featbit/parsed-types';
import { SchematicFlagSet } from '../../evaluators/schematic/schematic-flags';
import { collectTraitDefinitions, variantText } from '../../flags-file/changes';
import type { FlagsData } from '../../flags-file/flags-data';
import { KeyAttributes } from '../../evaluators/schematic/variants/key-attributes';

/**
 * A loaded flags file as the flag set its rule language evaluates: FeatBit's for a file in FeatBit's bootstrap
 * format, Schematic's (with flagwire's variations) for the others. Companies and users are not part of it.
 */
export function flagSetOf(data: FlagsData): FlagSet {
  const featbit = data.featbit;
  if (featbit) {
    const flags = new Map<string, ParsedFeatBitFlag>();
    for (const key of featbit.flagKeys()) flags.set(key, featbit.flag(key) as ParsedFeatBitFlag);
    return new FeatBitFlagSet({
      flags,
      segments: featbit.segments,
      flagText: (key) => featbit.flagText.get(key),
      segmentText: (id) => featbit.segmentText.get(id),
      clientKeys: data.clientKeys,
    });
  }
  const traitDefinitions = collectTraitDefinitions(data);
  // Only what the fingerprints read is held: the data also carries every company and user of the file.
  const { wireFlags, variants } = data;
  return new SchematicFlagSet({
    flags: data.flags,
    // What a flag serves counts too: its variations, rollouts and `enabled` change answers its Schematic flag does not show.
    fingerprint: (key) => {
      const wire = wireFlags.get(key);
      return wire === undefined ? undefined : `${JSON.stringify(wire)}\n${variantText(variants.get(key))}`;
    },
    variants: data.variants,
    descriptions: data.descriptions,
    clientKeys: data.clientKeys,
    requestAttributes: true,
    keyAttributes: data.keysAsAttributes ? KeyAttributes.of(traitDefinitions.keys()) : KeyAttributes.NONE,
    traitDefinitions,
  });
}
