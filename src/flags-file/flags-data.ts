import type { ParsedFlag, WireCompany, WireFlag, WireUser } from '../evaluators/schematic/engine';
import type { VariantFlag } from '../evaluators/schematic/variants/types';
import type { FeatBitFlagsView } from '../evaluators/featbit/featbit-results';

/** A flags file, validated and ready: flags parsed for the engine, entities in wire form for the store. */
export interface FlagsData {
  readonly flags: ReadonlyMap<string, ParsedFlag>;
  readonly wireFlags: ReadonlyMap<string, WireFlag>;
  readonly companies: readonly WireCompany[];
  readonly users: readonly WireUser[];
  /** Flags whose values may be sent to browsers. */
  readonly clientKeys: ReadonlySet<string>;
  /**
   * What flags with variations, rollouts or `enabled: false` serve, by flag key: their Schematic flags (in `flags`)
   * say which rule matched, `resolveVariant` what that serves. Plain on/off flags and snapshots have none.
   */
  readonly variants: ReadonlyMap<string, VariantFlag>;
  /** Each flag's `description`, by key (the concise format's; a snapshot's and FeatBit's flags have none here). */
  readonly descriptions?: ReadonlyMap<string, string>;
  /** FeatBit's flags and segments, for a file in FeatBit's bootstrap format (then the Schematic parts are empty). */
  readonly featbit: FeatBitFileFlags | null;
  /** Whether conditions read keys as attributes (see KeyAttributes): the concise format's do; Schematic's snapshot's do not. */
  readonly keysAsAttributes?: boolean;
  /**
   * Companies and users as JSON text, when the file was read in a worker thread (`companies` and `users` are
   * then empty): text is cheap to pass between threads, and an entity whose text is what it was at the last
   * load need not be parsed again.
   */
  readonly entityTexts?: EntityTexts | undefined;
}

/** Companies' and users' ids, and their wire JSON by the same index. */
export interface EntityTexts {
  readonly companies: EntityList;
  readonly users: EntityList;
}

export interface EntityList {
  readonly ids: readonly string[];
  readonly texts: readonly string[];
  /** The entities themselves, by the same index, when they were read in this thread: no need to parse the texts. */
  readonly entities?: readonly object[];
}

/** A FeatBit bootstrap file's flags: what local evaluation reads, with each flag's JSON to tell reloads apart. */
export interface FeatBitFileFlags extends FeatBitFlagsView {
  /** Each flag's JSON text as the file gives it (archived ones too), by key. */
  readonly flagText: ReadonlyMap<string, string>;
  /** The same for segments, by id. */
  readonly segmentText: ReadonlyMap<string, string>;
}

/** The data's companies and users as JSON text, however they came. */
export function entityTextsOf(data: FlagsData): EntityTexts {
  if (data.entityTexts) return data.entityTexts;
  const texts = (entities: readonly { readonly id: string }[]): EntityList => ({ ids: entities.map((entity) => entity.id), texts: entities.map((entity) => JSON.stringify(entity)), entities });
  return { companies: texts(data.companies), users: texts(data.users) };
}
