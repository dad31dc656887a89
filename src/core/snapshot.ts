import { defaultResult } from './default-result';
import type { FlagDefinition } from './definitions';
import { hasOverrides, OverriddenResults, overridesFitting, overridesFrom } from './overrides';
import { setOwn } from './flag-defaults';
import type { FlagResults } from './results';
import { type BrowserFlag, type FlagEntitlement, SNAPSHOT_VERSION, type SnapshotJSON, toEntitlement } from './payload';
import { REASON_FLAG_NOT_FOUND } from './reasons';
import { browserResults } from './snapshot-json';
import type { CheckFlagResult, FlagKey, FlagValueFor, VariationOf } from './types';
import { detailOfResult } from './detail-of-result';
import type { FlagValue, VariationDetail } from './values';
import { chooseVariation, servedOrDefault } from './choose-variation';

const NO_DEFINITION = (): undefined => undefined;

/** Told of each flag a snapshot's reads serve, once per flag: how adapters count exposures (see Exposure). */
export type ReadListener = (flag: string, value: FlagValue, variation: string | null) => void;

/** The page view a snapshot serves and who hears of its reads (`withExposures`). */
interface ExposureWatch {
  readonly pageView: string;
  readonly onRead: ReadListener;
  readonly told: Set<string>;
}

/**
 * One request's flags: the company and user were looked up once when it was taken; every read after that
 * is synchronous and pure. Flags are evaluated on first read and remembered, so a snapshot never changes,
 * even when the flags do.
 */
export class FlagsSnapshot {
  /** Results read so far; made on the first `detail()`, since most requests only ask `isEnabled`. */
  private results: Map<string, CheckFlagResult> | null = null;
  /** Variations read so far, for the same reason. */
  private variants: Map<string, VariationDetail | null> | null = null;

  /**
   * @param defaultFor a flag's configured default (`flagDefaults`), served when the flag cannot be read.
   * @param definitionOf what a flag can serve, to name an override's variation; none for values from elsewhere.
   */
  constructor(
    private readonly source: FlagResults,
    private readonly defaultFor: (key: string) => FlagValue,
    private readonly definitionOf: (key: string) => FlagDefinition | undefined = NO_DEFINITION,
    private readonly watch: ExposureWatch | null = null,
  ) {}

  /** Whether a value has the shape of a browser payload (`toJSON()`'s, either version), e.g. an endpoint's answer. */
  static isJSON(value: unknown): value is SnapshotJSON {
    const candidate = value as SnapshotJSON | null;
    return (
      typeof candidate === 'object' && candidate !== null && (candidate.v === 2 || candidate.v === 1) && typeof candidate.flags === 'object' && candidate.flags !== null
    );
  }

  /**
   * A snapshot of values evaluated elsewhere: a browser payload (`toJSON()`) from a cache, another process or
   * the flags endpoint. Reads work as on the original; `detail()` reports `REASON_FROM_SNAPSHOT` and has no
   * rule (its kind is `cached`), and flags the payload lacks read as `defaultFor(key)` (false unless given).
   * `toJSON()` sends the browser `clientKeys` (default: every flag in the payload).
   */
  static fromJSON(json: SnapshotJSON, options: { defaultFor?: (key: string) => FlagValue; clientKeys?: readonly string[] } = {}): FlagsSnapshot {
    return new FlagsSnapshot(browserResults(json, options.clientKeys), options.defaultFor ?? (() => false));
  }

  /**
   * This snapshot with some flags' values chosen by hand (Flags Explorer's or the toolbar's overrides cookie, as
   * the Express and Next adapters read it): every read, `detail()` and `toJSON()` serve the chosen values, with
   * kind `override`; the other flags read as here. Only flag values (JSON data) are taken: anything else given
   * (it may come from a cookie) is left out. Where the snapshot knows the flags (a client's), an override of a
   * flag it does not have, or of another type than the flag's values, is left out too: a typed read never gets
   * a value its flag cannot serve.
   */
  withOverrides(overrides: Readonly<Record<string, unknown>>): FlagsSnapshot {
    const valid = this.definitionOf === NO_DEFINITION ? overridesFrom(overrides) : overridesFitting(overridesFrom(overrides), this.definitionOf);
    if (!hasOverrides(valid)) return this;
    return new FlagsSnapshot(new OverriddenResults(this.source, valid, this.definitionOf), this.defaultFor, this.definitionOf, this.watch);
  }

  /**
   * This snapshot as one page view's: `onRead` hears of each flag its typed reads serve (`isEnabled`, `value`,
   * `variation`, `variationDetail`, `detail`, `entitlement`), once per flag, with the value and variation the flag
   * served; `keys()`, `all()` and `toJSON()` are not reads of a flag. `toJSON()` carries the page view's id, so
   * the browser's exposures of the same page view are known as the same. The Express and Next adapters use it
   * to count exposures (`createFlagsClient({ onExposures })`).
   */
  withExposures(pageView: string, onRead: ReadListener): FlagsSnapshot {
    return new FlagsSnapshot(this.source, this.defaultFor, this.definitionOf, { pageView, onRead, told: new Set() });
  }

  /**
   * The same values, with reads that count no exposure: for tools that list flags (the flags toolbar, a debug
   * page), where reading a flag is not a visitor seeing it.
   */
  withoutExposures(): FlagsSnapshot {
    return this.watch === null ? this : new FlagsSnapshot(this.source, this.defaultFor, this.definitionOf);
  }

  /** The page view this snapshot serves (`withExposures`), or `null`. */
  get pageView(): string | null {
    return this.watch?.pageView ?? null;
  }

  /** Whether the flag's value is `true`. A flag with variations is enabled only when it serves `true`. */
  isEnabled(key: FlagKey): boolean {
    if (this.watch !== null) this.tell(key);
    // Reads that need only the value skip building the whole result (and the garbage it leaves per request).
    const known = this.results?.get(key);
    if (known) return known.value;
    return this.source.value?.(key) ?? this.detail(key).value;
  }

  /** The flag's value, of the flag's declared type; its configured default (or `false`) when it cannot be read. */
  value<K extends FlagKey>(key: K): FlagValueFor<K> {
    if (this.watch !== null) this.tell(key);
    return this.servedValue(key, this.variantOf(key)) as FlagValueFor<K>;
  }

  /**
   * The flag's value when it has the type of `defaultValue`, else `defaultValue` (a wrong type is logged by
   * no one and reported by `variationDetail` as `wrong_type`). Typed by the registered flag, or by the default.
   */
  variation<K extends FlagKey, D extends FlagValueFor<K>>(key: K, defaultValue: D): VariationOf<K, D> {
    if (this.watch !== null) this.tell(key);
    // What variationDetail(…).value answers, without making a detail for the default.
    return servedOrDefault(this.variantOf(key), defaultValue) as VariationOf<K, D>;
  }

  /** The value with its variation, reason kind, reason text, rule and rollout bucket. */
  variationDetail<K extends FlagKey, D extends FlagValueFor<K>>(key: K, defaultValue: D): VariationDetail<VariationOf<K, D>> {
    if (this.watch !== null) this.tell(key);
    return this.detailFor(key, defaultValue) as VariationDetail<VariationOf<K, D>>;
  }

  private detailFor(key: string, defaultValue: FlagValue): VariationDetail {
    const kind = this.source.missingReason === REASON_FLAG_NOT_FOUND ? 'not_found' : 'default';
    return chooseVariation(key, this.variantOf(key), defaultValue, { kind, reason: this.source.missingReason });
  }

  /** Value, reason, matched rule and entitlement usage of one flag, as Schematic reports it (value: enabled or not). */
  detail(key: FlagKey): CheckFlagResult {
    if (this.watch !== null) this.tell(key);
    return this.resultOf(key);
  }

  private resultOf(key: string): CheckFlagResult {
    this.results ??= new Map();
    let result = this.results.get(key);
    if (result === undefined) {
      result = this.source.result(key) ?? defaultResult(key, this.defaultFor(key) === true, this.source.missingReason);
      this.results.set(key, result);
    }
    return result;
  }

  entitlement(key: FlagKey): FlagEntitlement | null {
    if (this.watch !== null) this.tell(key);
    const given = this.source.browserFlag?.(key);
    if (given) return given.entitlement ?? null;
    return toEntitlement(this.resultOf(key));
  }

  /** Every flag key this snapshot knows. */
  keys(): FlagKey[] {
    return [...this.source.keys()] as FlagKey[];
  }

  /** Every flag's value, as `{ key: value }`. */
  all(): Record<string, FlagValue> {
    const values: Record<string, FlagValue> = {};
    for (const key of this.source.keys()) setOwn(values, key, this.servedValue(key, this.variantOf(key)));
    return values;
  }

  /**
   * The browser payload: evaluated values (and variation names) of the client-visible flags (or of `keys`),
   * never rules, traits or entity keys. `JSON.stringify(snapshot)` calls this.
   */
  toJSON(keys?: readonly string[] | string): SnapshotJSON {
    // JSON.stringify passes the property name; only an explicit list of keys selects flags.
    const selected = Array.isArray(keys) ? keys : [...this.source.clientKeys];
    const flags: Record<string, BrowserFlag> = {};
    for (const key of selected) {
      const given = this.source.browserFlag?.(key);
      if (given) {
        setOwn(flags, key, given);
        continue;
      }
      const variant = this.variantOf(key);
      const value = this.servedValue(key, variant);
      const entitlement = toEntitlement(this.resultOf(key));
      // On/off flags leave the variation out: the value says it, and most flags are on/off.
      const variation = typeof value !== 'boolean' && variant?.variation != null ? variant.variation : undefined;
      setOwn(flags, key, { value, ...(variation !== undefined ? { variation } : {}), ...(entitlement ? { entitlement } : {}) });
    }
    return this.watch === null ? { v: SNAPSHOT_VERSION, flags } : { v: SNAPSHOT_VERSION, flags, pv: this.watch.pageView };
  }

  /** Tells the page view's listener of the flag's served value, the first time it is read. */
  private tell(key: string): void {
    const watch = this.watch as ExposureWatch;
    if (watch.told.has(key)) return;
    watch.told.add(key);
    const variant = this.variantOf(key);
    const value = this.servedValue(key, variant);
    const variation = typeof value !== 'boolean' && variant?.variation != null ? variant.variation : null;
    try {
      watch.onRead(key, value, variation);
    } catch {
      // A listener's failure is its own: the read it heard of still answers.
    }
  }

  /** What a read without a default serves: the evaluated value, or the configured default when there is none. */
  private servedValue(key: string, variant: VariationDetail | null): FlagValue {
    return variant === null || variant.kind === 'error' ? this.defaultFor(key) : variant.value;
  }

  /** The flag's variation as its source evaluated it; `null` when the source does not know the flag. */
  private variantOf(key: string): VariationDetail | null {
    this.variants ??= new Map();
    let variant = this.variants.get(key);
    if (variant === undefined) {
      variant = this.source.variant?.(key) ?? this.variantFromResult(key);
      this.variants.set(key, variant);
    }
    return variant;
  }

  private variantFromResult(key: string): VariationDetail | null {
    const result = this.source.result(key);
    if (!result) return null;
    this.results ??= new Map();
    if (!this.results.has(key)) this.results.set(key, result);
    return detailOfResult(result);
  }
}
