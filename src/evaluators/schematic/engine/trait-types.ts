import type { CoercedValue } from './coerce';
import type { ComparableType, TraitEntityType } from './wire-types';

/** A trait's definition: what conditions compare it as. Its own module, read by the parsed types and the trait set alike. */
export interface ParsedTraitDefinition {
  readonly id: string;
  readonly comparableType: ComparableType;
  readonly entityType: TraitEntityType;
}

/** One trait of a company or user, as `Traits.get` gives it. */
export interface ParsedTrait {
  readonly definition: ParsedTraitDefinition | null;
  readonly value: string;
  readonly coerced: CoercedValue;
}
