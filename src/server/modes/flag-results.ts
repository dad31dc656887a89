import { evaluate, evaluateValue, type ParsedFlag, type Subjects } from '../engine';
import { REASON_FLAG_NOT_FOUND } from '../reasons';
import type { CheckFlagResult } from '../types';
import type { FlagResults } from './mode';

/**
 * Results evaluated in-process, each flag on first read, for one set of subjects. A class rather than an
 * object of closures, so that making one (per request, or once per company and user) allocates one object.
 */
class EvaluatedResults implements FlagResults {
  readonly missingReason = REASON_FLAG_NOT_FOUND;

  constructor(
    private readonly flags: ReadonlyMap<string, ParsedFlag>,
    private readonly subjects: Subjects,
    /** Read when a full result is built: the clock only moves entitlement reset times. */
    private readonly now: () => number,
    readonly clientKeys: ReadonlySet<string>,
    private readonly knownValues: Map<string, boolean> | null,
  ) {}

  keys(): string[] {
    return [...this.flags.keys()];
  }

  result(key: string): CheckFlagResult | undefined {
    const flag = this.flags.get(key);
    return flag ? (evaluate(flag, this.subjects, this.now()) as CheckFlagResult) : undefined;
  }

  value(key: string): boolean | undefined {
    const known = this.knownValues?.get(key);
    if (known !== undefined) return known;
    const flag = this.flags.get(key);
    if (!flag) return undefined;
    const value = evaluateValue(flag, this.subjects);
    this.knownValues?.set(key, value);
    return value;
  }
}

/**
 * @param knownValues where `value()` remembers what it evaluated, when the results are kept and reused
 * (see `ResultsMemo`); `null` to evaluate on every read.
 */
export function evaluatedResults(
  flags: ReadonlyMap<string, ParsedFlag>,
  subjects: Subjects,
  now: () => number,
  clientKeys: ReadonlySet<string>,
  knownValues: Map<string, boolean> | null = null,
): FlagResults {
  return new EvaluatedResults(flags, subjects, now, clientKeys, knownValues);
}
