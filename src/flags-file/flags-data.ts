import { fingerprint } from '../core/internal/fingerprint';
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
  readonly entityTexts?: EntityLists | undefined;
  /**
   * A fingerprint of each company's and user's declaration, by index, when the reader made them (the concise
   * format: from the entity as written, which is a fraction of its wire JSON); otherwise made from the wire JSON.
   */
  readonly entityPrints?: EntityPrints | undefined;
}

export interface EntityPrints {
  readonly companies: readonly number[];
  readonly users: readonly number[];
}

/** Companies' and users' ids, with their declarations' fingerprints and the entities (or their wire JSON) by the same index. */
export interface EntityLists {
  readonly companies: EntityList;
  readonly users: EntityList;
}

export interface EntityList {
  readonly ids: readonly string[];
  /** What tells a reload which entities the file changed: one declaration's fingerprint (see `entityPrints`). */
  readonly prints: readonly number[];
  /** The wire JSON, when they were read in a worker thread; parsed only where the print changed. */
  readonly texts?: readonly string[];
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

/** The data's companies and users with their prints, however they came. */
export function entityListsOf(data: FlagsData): EntityLists {
  if (data.entityTexts) return data.entityTexts;
  const list = (entities: readonly { readonly id: string }[], prints: readonly number[] | undefined): EntityList => ({
    ids: entities.map((entity) => entity.id),
    prints: prints ?? wirePrints(entities),
    entities,
  });
  return { companies: list(data.companies, data.entityPrints?.companies), users: list(data.users, data.entityPrints?.users) };
}

/** Prints of entities read in their wire form (Schematic's snapshot format), from their JSON. */
export function wirePrints(entities: readonly object[]): number[] {
  return entities.map((entity) => fingerprint(JSON.stringify(entity)));
}
