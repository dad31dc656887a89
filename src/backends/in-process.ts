import type { FlagExplanation } from '../evaluators/schematic/engine';
import { defaultResult } from '../core/default-result';
import type { FlagDefinition } from '../core/definitions';
import type { FlagwireError } from '../core/errors';
import { changedKeys, type EvaluationRequest, type FlagSet, type FlagSink, type FlagSource, NO_SUBJECTS, type StoredSubjects, type SubjectLookup } from '../core/flag-set';
import type { Backend, PartsHost } from '../core/parts';
import { parsedPreflight } from '../core/preflight';
import { REASON_FLAG_DEFAULT, REASON_FLAG_NOT_FOUND } from '../core/reasons';
import type { FlagResults } from '../core/results';
import type { ChangeEvent, CheckFlagOptions, CheckFlagResult, EvaluationContext } from '../core/types';
import type { VariationDetail } from '../core/values';

export interface InProcessBackendOptions {
  /** Where flags come from; started here, delivering into this backend. */
  source: FlagSource;
  /** Finds the stored company and user a request names; `null` when the flags read nothing stored (FeatBit's). */
  lookup: SubjectLookup | null;
  /**
   * What answers what these flags cannot — a flag not delivered (yet), and with `lookupFailures`, a lookup that
   * failed: Schematic's REST API behind DataStream and Redis. Without one, those answer defaults.
   */
  fallback?: { backend: Backend; lookupFailures: boolean } | null;
  /** Told of each single check evaluated here (Schematic's `flag_check` events). */
  onCheck?: ((result: CheckFlagResult, context: EvaluationContext) => void) | null;
}

/**
 * Flags evaluated in this process: a source delivers flag sets, a lookup finds the request's company and user,
 * the set's evaluator answers. Ready latch, status, and which flags changed live here once for every source.
 */
export class InProcessBackend implements Backend, FlagSink {
  private flags: FlagSet | null = null;
  private healthy = false;
  /** Set once waiting for the first flags stops: they arrived from a healthy source, it failed, or the start wait ran out. */
  private waiting = true;
  private endWait!: () => void;
  private readonly waitEnded = new Promise<void>((resolve) => (this.endWait = resolve));
  private readonly startWait: ReturnType<typeof setTimeout>;
  private readonly source: FlagSource;
  private readonly lookup: SubjectLookup | null;
  private readonly fallback: InProcessBackendOptions['fallback'];
  private readonly onCheck: InProcessBackendOptions['onCheck'];
  private readonly configuredDefault = (key: string): boolean => this.host.defaultFor(key, undefined);

  constructor(
    private readonly host: PartsHost,
    options: InProcessBackendOptions,
  ) {
    this.source = options.source;
    this.lookup = options.lookup;
    this.fallback = options.fallback ?? null;
    this.onCheck = options.onCheck ?? null;
    this.startWait = setTimeout(() => this.stopWaiting(), host.options.startWaitMs);
    this.startWait.unref?.();
    this.source.start(this);
  }

  // — the sink —

  replace(flags: FlagSet): readonly string[] {
    const previous = this.flags;
    this.flags = flags;
    // Status and readiness follow health: a source that has not said it is healthy yet (a first frame before
    // its connection counts as up) must not make the client flash `stale` on the way to `ready`.
    if (this.healthy) {
      this.stopWaiting();
      this.updateStatus();
    }
    if (previous === null) return [];
    const changed = changedKeys(previous, flags);
    if (changed.length > 0) this.host.emitter.emit('change', { type: 'flags', keys: changed });
    return changed;
  }

  health(healthy: boolean): void {
    this.healthy = healthy;
    if (healthy && this.flags !== null) this.stopWaiting();
    this.updateStatus();
  }

  notify(change: ChangeEvent): void {
    this.host.emitter.emit('change', change);
  }

  failed(error: FlagwireError): void {
    this.stopWaiting();
    this.healthy = false;
    this.host.options.logger.error(this.flags ? `${error.message}\nStill serving the last good flags.` : error.message);
    this.updateStatus();
    this.host.emitter.emit('error', error);
  }

  // — the backend —

  async whenReady(): Promise<void> {
    if (this.waiting) await this.waitEnded;
  }

  checkNow(context: EvaluationContext, key: string, options: CheckFlagOptions | undefined): CheckFlagResult | null {
    const flags = this.flags;
    if (flags === null) return null;
    if (!flags.has(key)) return this.fallback ? null : this.notFound(key, options);
    const subjects = this.lookup ? this.lookup.now(context) : NO_SUBJECTS;
    return subjects === null ? null : this.evaluate(flags, key, context, subjects, options);
  }

  valueNow(context: EvaluationContext, key: string, options: CheckFlagOptions | undefined): boolean | null {
    const flags = this.flags;
    // Check events (`onCheck`) and preflight usage need the whole result: checkNow makes it.
    if (flags === null || flags.value === undefined || this.onCheck !== null || parsedPreflight(options) !== null) return null;
    const subjects = this.lookup ? this.lookup.now(context) : NO_SUBJECTS;
    return subjects === null ? null : (flags.value(key, this.request(context, subjects, options)) ?? null);
  }

  async check(context: EvaluationContext, key: string, options: CheckFlagOptions | undefined, signal: AbortSignal): Promise<CheckFlagResult> {
    if (this.flags === null && !this.fallback) await this.whenReady();
    const flags = this.flags;
    const fallback = this.fallback?.backend;
    if (flags === null || !flags.has(key)) {
      if (fallback) return fallback.check(context, key, options, signal);
      return flags === null ? defaultResult(key, this.host.defaultFor(key, options), REASON_FLAG_DEFAULT) : this.notFound(key, options);
    }
    const subjects = await this.subjects(context, signal, `check of "${key}"`);
    if (subjects === null) return (fallback as Backend).check(context, key, options, signal);
    return this.evaluate(flags, key, context, subjects, options);
  }

  resultsNow(context: EvaluationContext): FlagResults | null {
    const flags = this.flags;
    const subjects = flags === null ? null : this.lookup ? this.lookup.now(context) : NO_SUBJECTS;
    return flags === null || subjects === null ? null : flags.results(this.request(context, subjects, undefined));
  }

  variantNow(context: EvaluationContext, key: string): VariationDetail | undefined {
    const flags = this.flags;
    if (flags === null || flags.variant === undefined) return undefined;
    const subjects = this.lookup ? this.lookup.now(context) : NO_SUBJECTS;
    return subjects === null ? undefined : flags.variant(key, this.request(context, subjects, undefined));
  }

  async results(context: EvaluationContext, keys: readonly string[] | undefined, signal: AbortSignal): Promise<FlagResults> {
    const fallback = this.fallback?.backend;
    if (this.flags === null) {
      if (fallback) return fallback.results(context, keys, signal);
      await this.whenReady();
    }
    const flags = this.flags;
    if (flags === null) return { keys: () => [], result: () => undefined, clientKeys: this.host.options.clientFlags, missingReason: REASON_FLAG_DEFAULT };
    const subjects = await this.subjects(context, signal, 'snapshot');
    if (subjects === null) return (fallback as Backend).results(context, keys, signal);
    return flags.results(this.request(context, subjects, undefined));
  }

  async explain(context: EvaluationContext, key: string, options: CheckFlagOptions | undefined): Promise<FlagExplanation | null> {
    await this.whenReady();
    const flags = this.flags;
    if (flags === null || !flags.has(key) || !flags.explain) return null;
    const subjects = this.lookup ? await this.lookup.get(context, new AbortController().signal) : NO_SUBJECTS;
    return flags.explain(key, this.request(context, subjects, options));
  }

  definitions(): readonly FlagDefinition[] {
    const flags = this.flags;
    if (flags === null) return [];
    return flags.keys().flatMap((key) => this.definition(key) ?? []);
  }

  definition(key: string): FlagDefinition | undefined {
    const definition = this.flags?.definition(key);
    // The app's `clientFlags` make a flag client-visible too.
    return definition === undefined || definition.client || !this.host.options.clientFlags.has(key) ? definition : { ...definition, client: true };
  }

  async invalidate(change: ChangeEvent): Promise<void> {
    await this.source.invalidate?.(change);
    await this.fallback?.backend.invalidate?.(change);
  }

  async close(): Promise<void> {
    clearTimeout(this.startWait);
    // Side by side: the fallback's queued work starts draining at once, even while the source is slow to stop.
    await Promise.all([this.source.close(), this.fallback?.backend.close()]);
  }

  /** The stored subjects; `null` when looking them up failed and the fallback is to answer instead. */
  private async subjects(context: EvaluationContext, signal: AbortSignal, what: string): Promise<StoredSubjects | null> {
    if (!this.lookup) return NO_SUBJECTS;
    try {
      return await this.lookup.get(context, signal);
    } catch (error) {
      if (!this.fallback?.lookupFailures) throw error;
      this.host.options.logger.debug(`${what} falls back to the API: ${(error as Error)?.message ?? error}`);
      return null;
    }
  }

  private evaluate(flags: FlagSet, key: string, context: EvaluationContext, subjects: StoredSubjects, options: CheckFlagOptions | undefined): CheckFlagResult {
    const result = flags.check(key, this.request(context, subjects, options)) ?? this.notFound(key, options);
    this.onCheck?.(result, context);
    return result;
  }

  private request(context: EvaluationContext, subjects: StoredSubjects, options: CheckFlagOptions | undefined): EvaluationRequest {
    const { now, clientFlags } = this.host.options;
    return {
      context,
      company: subjects.company,
      user: subjects.user,
      options: options === undefined ? null : parsedPreflight(options),
      now,
      clientFlags,
      // Most calls pass no options: they share one function rather than make one per request.
      defaultValue: options === undefined ? this.configuredDefault : (key) => this.host.defaultFor(key, options),
    };
  }

  private notFound(key: string, options: CheckFlagOptions | undefined): CheckFlagResult {
    return defaultResult(key, this.host.defaultFor(key, options), REASON_FLAG_NOT_FOUND);
  }

  private stopWaiting(): void {
    this.waiting = false;
    this.endWait();
  }

  private updateStatus(): void {
    this.host.setStatus(this.flags === null ? 'initializing' : this.healthy ? 'ready' : 'stale');
  }
}
