import type { BrowserFlag } from './payload';
import type { CheckFlagResult } from './types';
import type { VariationDetail } from './values';

/** Evaluated flags for one context: what a snapshot reads. `undefined` means the flag is unknown. */
export interface FlagResults {
  keys(): readonly string[];
  result(key: string): CheckFlagResult | undefined;
  /** Only the value, when that is cheaper than the whole result; `undefined` when the flag is unknown. */
  value?(key: string): boolean | undefined;
  /**
   * The flag's value and variation, for sources whose flags may serve more than on/off (the flags file, a
   * browser payload). Without it, or when it answers `undefined`, a flag's variation is read from `result`
   * (an on/off flag's variations are "true" and "false").
   */
  variant?(key: string): VariationDetail | undefined;
  /** The flag exactly as a browser payload carried it, for results read from one. */
  browserFlag?(key: string): BrowserFlag | undefined;
  /** Flags whose values may be sent to browsers. */
  readonly clientKeys: ReadonlySet<string>;
  /** The reason reported for flags these results do not have. */
  readonly missingReason: string;
}
