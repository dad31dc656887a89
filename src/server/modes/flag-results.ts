import { evaluate, evaluateValue, type ParsedFlag, type Subjects } from '../engine';
import { REASON_FLAG_NOT_FOUND } from '../reasons';
import type { CheckFlagResult } from '../types';
import type { FlagResults } from './mode';

/**
 * Results evaluated in-process, each flag on first read, for one set of subjects at one moment. A class
 * rather than an object of closures: one is made per request, and its methods then cost no allocation.
 */
class EvaluatedResults implements FlagResults {
  readonly missingReason = REASON_FLAG_NOT_FOUND;

  constructor(
    private readonly flags: ReadonlyMap<string, ParsedFlag>,
    private readonly subjects: Subjects,
    private readonly nowMs: number,
    readonly clientKeys: ReadonlySet<string>,
    private readonly knownValues: Map<string, boolean> | null,
  ) {}

  keys(): string[] {
    return [...this.flags.keys()];
  }

  result(key: string): CheckFlagResult | undefined {
    const flag = this.flags.get(key);
    return flag ? (evaluate(flag, this.subjects, this.nowMs) as CheckFlagResult) : undefined;
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
 * @param knownValues values already evaluated for these subjects and flags (see `ValueMemo`), read and
 * filled by `value()`; `null` to evaluate every time.
 */
export function evaluatedResults(
  flags: ReadonlyMap<string, ParsedFlag>,
  subjects: Subjects,
  nowMs: number,
  clientKeys: ReadonlySet<string>,
  knownValues: Map<string, boolean> | null = null,
): FlagResults {
  return new EvaluatedResults(flags, subjects, nowMs, clientKeys, knownValues);
}
