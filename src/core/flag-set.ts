import type { FlagExplanation, ParsedCheckOptions, ParsedCompany, ParsedUser } from '../evaluators/schematic/engine';
import type { FlagDefinition } from './definitions';
import type { FlagwireError } from './errors';
import type { FlagResults } from './results';
import type { ChangeEvent, CheckFlagResult, EvaluationContext } from './types';
import type { VariationDetail } from './values';

/**
 * The seam between where flags come from and how they are evaluated. A source (the flags file, DataStream,
 * Redis, FeatBit's sync) delivers flag sets into one sink; a flag set is the flags of one rule language
 * (Schematic's, FeatBit's) with the evaluator that reads them. The in-process backend holds the current set,
 * looks up the stored company and user a request names, and works out what changed — once, for every source.
 */

/** The company and user a context names, as the store holds them; `null` for one it does not hold. */
export interface StoredSubjects {
  readonly company: ParsedCompany | null;
  readonly user: ParsedUser | null;
}

export const NO_SUBJECTS: StoredSubjects = Object.freeze({ company: null, user: null });

/** One evaluation's inputs: the request's context, what the store holds for it, and the check's options. */
export interface EvaluationRequest extends StoredSubjects {
  readonly context: EvaluationContext;
  /** Preflight usage of a single check; `null` for snapshots. */
  readonly options: ParsedCheckOptions | null;
  readonly now: () => number;
  /** Flags the app marks client-visible (`clientFlags`), beside those the flags themselves mark. */
  readonly clientFlags: ReadonlySet<string>;
  /** The caller's default for a flag whose check cannot be answered (a rollout that cannot bucket the context). */
  readonly defaultValue: (key: string) => boolean;
}

/** The flags of one rule language, with their evaluator. Immutable: a change is a new set. */
export interface FlagSet {
  keys(): readonly string[];
  has(key: string): boolean;
  /**
   * Text that changes whenever what the flag serves may change (the segments it reads included): the sink
   * compares these between two sets to say which flags changed. `undefined` for a flag the set lacks.
   */
  fingerprint(key: string): string | undefined;
  /** One request's results, each flag evaluated when first read. */
  results(request: EvaluationRequest): FlagResults;
  /**
   * One flag's variation for a single `variation()`, made without a whole request's results around it;
   * `undefined` when the set lacks the flag or answers it through `results()` (an on/off flag, say).
   */
  variant?(key: string, request: EvaluationRequest): VariationDetail | undefined;
  /**
   * One flag's value for a single check that needs nothing else (no preflight options): no result made only to
   * be dropped. `undefined` when the set lacks the flag or answers it through `check()` alone.
   */
  value?(key: string, request: EvaluationRequest): boolean | undefined;
  /** One flag's result for a single check; `undefined` when the set lacks the flag. */
  check(key: string, request: EvaluationRequest): CheckFlagResult | undefined;
  /** Every rule the check of `key` considers, with each condition's verdict; `null` when not available. */
  explain?(key: string, request: EvaluationRequest): FlagExplanation | null;
  /** What the flag is and can serve (its `client` as the set marks it); `undefined` for a flag the set lacks. */
  definition(key: string): FlagDefinition | undefined;
}

/** Where a source delivers what it has and hears. */
export interface FlagSink {
  /** The whole flag set as the source has it now; resolves the keys of the flags it changed (none for the first set). */
  replace(flags: FlagSet): readonly string[];
  /** Whether the source is healthy (connected; its last read worked): a backend with flags and an unhealthy source is `stale`. */
  health(healthy: boolean): void;
  /** A change the source heard of itself (a company pushed or written, another instance's notice): passed on as it is. */
  notify(change: ChangeEvent): void;
  /** The source could not deliver (an unreadable file): reported, and nobody waits for it any longer. */
  failed(error: FlagwireError): void;
}

/** Where flags come from: started once with the sink it delivers into. */
export interface FlagSource {
  start(sink: FlagSink): void;
  /** A webhook said something changed: drop what is cached about it, and tell other instances. */
  invalidate?(change: ChangeEvent): Promise<void>;
  close(): Promise<void> | void;
}

/** Finds the stored company and user a request names. */
export interface SubjectLookup {
  /** Without waiting, when the store holds them in memory; `null` when they must be waited for. */
  now(context: EvaluationContext): StoredSubjects | null;
  /** Waits for them; rejects when the store fails (the backend may then ask its fallback). */
  get(context: EvaluationContext, signal: AbortSignal): Promise<StoredSubjects>;
}

/** The keys of flags added, removed or changed from one set to the next. */
export function changedKeys(previous: FlagSet, next: FlagSet): string[] {
  const changed: string[] = [];
  for (const key of previous.keys()) if (previous.fingerprint(key) !== next.fingerprint(key)) changed.push(key);
  for (const key of next.keys()) if (!previous.has(key)) changed.push(key);
  return changed;
}
