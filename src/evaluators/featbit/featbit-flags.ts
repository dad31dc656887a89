import { type FlagDefinition, ON_OFF_VARIATIONS } from '../../core/definitions';
import type { EvaluationRequest, FlagSet } from '../../core/flag-set';
import type { FlagResults } from '../../core/results';
import type { CheckFlagResult } from '../../core/types';
import { featBitUserFor } from './context-user';
import { featBitValue } from './featbit-value';
import { featBitResults, type NumberedFeatBitFlags, type OnFeatBitRead } from './featbit-results';
import type { FeatBitSegments, ParsedFeatBitFlag, ParsedFeatBitUser } from './parsed-types';

/**
 * Told of each request that evaluates FeatBit flags, with the user they are read for; answers who hears of each
 * flag it reads (FeatBit's evaluation insights, grouped by request).
 */
export type FeatBitReadListener = (user: ParsedFeatBitUser, segments: FeatBitSegments) => OnFeatBitRead;

export interface FeatBitFlagsInput {
  /** Live flags by key (archived ones absent). */
  readonly flags: ReadonlyMap<string, ParsedFeatBitFlag>;
  /** Live segments by id. */
  readonly segments: FeatBitSegments;
  /** A flag's JSON as the source got it (also for one it holds archived); `undefined` when it has none. */
  readonly flagText: (key: string) => string | undefined;
  /** A segment's JSON the same way, by id. */
  readonly segmentText: (id: string) => string | undefined;
  /** Flags the source marks client-visible (a bootstrap file's `client` list). */
  readonly clientKeys?: ReadonlySet<string>;
  /** Who hears of each read (insights); nobody for a file. */
  readonly onRead?: FeatBitReadListener | null;
}

const NO_KEYS: ReadonlySet<string> = new Set();

/** Segment ids a flag's rules name: a change to one of them may change the flag's answers. */
function segmentIdsOf(flag: ParsedFeatBitFlag): string[] {
  const ids = new Set<string>();
  for (const rule of flag.rules) for (const condition of rule.conditions) for (const id of condition.segmentIds) ids.add(id);
  return [...ids].sort();
}

/**
 * FeatBit's flags and segments, evaluated with FeatBit's rules for the FeatBit user the context makes
 * (see featBitUserOf). Nothing stored is read: FeatBit keeps no companies or users.
 */
export class FeatBitFlagSet implements FlagSet, NumberedFeatBitFlags {
  private readonly input: FeatBitFlagsInput;
  private readonly liveKeys: readonly string[];
  /** Each live flag's number: its place in `liveKeys`, and in `liveFlags`. */
  private readonly numbers: ReadonlyMap<string, number>;
  private readonly liveFlags: readonly ParsedFeatBitFlag[];
  private readonly clientKeys: ReadonlySet<string>;
  private allClientKeys: { readonly given: ReadonlySet<string>; readonly all: ReadonlySet<string> } | null = null;

  constructor(input: FeatBitFlagsInput) {
    this.input = input;
    this.liveKeys = [...input.flags.keys()];
    this.liveFlags = [...input.flags.values()];
    this.numbers = new Map(this.liveKeys.map((key, number) => [key, number]));
    this.clientKeys = input.clientKeys ?? NO_KEYS;
  }

  get count(): number {
    return this.liveFlags.length;
  }

  numberOf(key: string): number {
    return this.numbers.get(key) ?? -1;
  }

  flagAt(number: number): ParsedFeatBitFlag {
    return this.liveFlags[number] as ParsedFeatBitFlag;
  }

  get segments(): FeatBitSegments {
    return this.input.segments;
  }

  flag(key: string): ParsedFeatBitFlag | undefined {
    return this.input.flags.get(key);
  }

  keys(): readonly string[] {
    return this.liveKeys;
  }

  flagKeys(): readonly string[] {
    return this.liveKeys;
  }

  has(key: string): boolean {
    return this.input.flags.has(key);
  }

  /** The flag's JSON with the JSON of each segment it names, so a segment change counts for the flags that read it. */
  fingerprint(key: string): string | undefined {
    const flag = this.input.flags.get(key);
    if (!flag) return undefined;
    let text = this.input.flagText(key) ?? '';
    for (const id of segmentIdsOf(flag)) text += `\n${id}:${this.input.segmentText(id) ?? ''}`;
    return text;
  }

  results(request: EvaluationRequest): FlagResults {
    const user = featBitUserFor(request.context);
    const listener = this.input.onRead;
    const onRead: OnFeatBitRead | null = listener && user ? listener(user, this.input.segments) : null;
    return featBitResults(this, user, this.clientKeysWith(request.clientFlags), onRead);
  }

  check(key: string, request: EvaluationRequest): CheckFlagResult | undefined {
    return this.has(key) ? this.results(request).result(key) : undefined;
  }

  /** Variations as the client serves them: typed by the flag's `variationType` (one that is not of it is left out). */
  definition(key: string): FlagDefinition | undefined {
    const flag = this.input.flags.get(key);
    if (!flag) return undefined;
    const variations = flag.variations.flatMap((variation) => {
      const value = featBitValue(flag.variationType, variation.value);
      if (value === undefined) return [];
      return [{ name: variation.id, label: typeof value === 'boolean' ? (value ? 'On' : 'Off') : variation.value, value }];
    });
    return {
      key,
      description: flag.name !== null && flag.name !== key ? flag.name : null,
      variations: variations.length === 0 ? ON_OFF_VARIATIONS : variations,
      client: this.clientKeys.has(key),
    };
  }

  private clientKeysWith(given: ReadonlySet<string>): ReadonlySet<string> {
    if (this.clientKeys.size === 0) return given;
    if (given.size === 0) return this.clientKeys;
    if (this.allClientKeys?.given !== given) this.allClientKeys = { given, all: new Set([...this.clientKeys, ...given]) };
    return this.allClientKeys.all;
  }
}
