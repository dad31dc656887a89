import { PARSED } from '../schematic/engine/parsed-types';
import { parseConditions } from './parse-condition';
import type { FeatBitSegments, ParsedFeatBitSegment } from './parsed-types';
import { FeatBitReader } from './wire-read';
import type { FeatBitSegment } from './wire-types';

/**
 * Validates a FeatBit segment (wire JSON) and prepares it for evaluation. Segment rules use ordinary
 * operators only: a `User is in segment` property there is just a property name.
 * @throws InvalidEntityError when a field has the wrong type or a required one is missing.
 */
export function parseFeatBitSegment(segment: FeatBitSegment | unknown): ParsedFeatBitSegment {
  const reader = new FeatBitReader('featbit segment');
  const obj = reader.object(segment, '');
  return Object.freeze({
    [PARSED]: 'featbit-segment' as const,
    id: reader.string(obj, 'id', ''),
    name: reader.optionalString(obj, 'name', ''),
    isArchived: reader.flag(obj, 'isArchived', ''),
    included: new Set(reader.stringList(obj, 'included', '')),
    excluded: new Set(reader.stringList(obj, 'excluded', '')),
    rules: reader.objects(obj, 'rules', '', (rule, path) => parseConditions(reader, rule, path, false)),
  });
}

/**
 * Parses a list of segments into the lookup evaluation takes, by id. Already parsed segments are kept as
 * they are; a later segment with the same id replaces an earlier one, as in FeatBit's stores.
 * @throws InvalidEntityError for the first segment that is not valid.
 */
export function parseFeatBitSegments(segments: readonly (FeatBitSegment | ParsedFeatBitSegment | unknown)[]): FeatBitSegments {
  const byId = new Map<string, ParsedFeatBitSegment>();
  for (const segment of segments) {
    const parsed = isParsedFeatBitSegment(segment) ? segment : parseFeatBitSegment(segment);
    byId.set(parsed.id, parsed);
  }
  return byId;
}

/** Whether a value is a segment made by `parseFeatBitSegment`. */
export function isParsedFeatBitSegment(value: unknown): value is ParsedFeatBitSegment {
  return typeof value === 'object' && value !== null && (value as { [PARSED]?: unknown })[PARSED] === 'featbit-segment';
}
