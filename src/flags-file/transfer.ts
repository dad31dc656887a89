import { parseFlag, type ParsedFlag, type WireFlag } from '../evaluators/schematic/engine';
import type { VariantFlag } from '../evaluators/schematic/variants/types';
import type { EntityLists, FlagsData } from './flags-data';

/**
 * A loaded flags file's flags as plain data, which a worker thread can post (structured clone keeps maps and
 * typed arrays, not parsed flags' identity). Companies and users travel apart, as text, a slice per message.
 */
export interface FlagsParts {
  readonly wireFlags: readonly WireFlag[];
  readonly clientKeys: readonly string[];
  readonly variants: readonly VariantFlag[];
  readonly descriptions: readonly [string, string][];
  readonly keysAsAttributes: boolean;
}

/** The parts of data loaded from a file in either Schematic format (a FeatBit file has functions: it stays where it was read). */
export function partsOf(data: FlagsData): FlagsParts {
  return { wireFlags: [...data.wireFlags.values()], clientKeys: [...data.clientKeys], variants: [...data.variants.values()], descriptions: [...(data.descriptions ?? [])], keysAsAttributes: data.keysAsAttributes === true };
}

/**
 * The data again, from parts a worker validated: its flags are parsed once more here (they are few, and parsed
 * flags are what the engine reads); companies and users come as text, parsed when they are stored.
 */
export function flagsDataOf(parts: FlagsParts, entityTexts: EntityLists): FlagsData {
  const flags = new Map<string, ParsedFlag>();
  const wireFlags = new Map<string, WireFlag>();
  for (const wire of parts.wireFlags) {
    const parsed = parseFlag(wire);
    flags.set(parsed.key, parsed);
    wireFlags.set(parsed.key, wire);
  }
  const variants = new Map(parts.variants.map((variant) => [variant.key, variant]));
  return { flags, wireFlags, companies: [], users: [], clientKeys: new Set(parts.clientKeys), variants, descriptions: new Map(parts.descriptions), featbit: null, keysAsAttributes: parts.keysAsAttributes, entityTexts };
}
