import { evaluate, evaluateValue, type ParsedFlag, type Subjects } from '../engine';
import { REASON_FLAG_NOT_FOUND } from '../reasons';
import type { CheckFlagResult } from '../types';
import type { FlagResults } from './mode';

/** Results evaluated in-process, each flag on first read, for one set of subjects at one moment. */
export function evaluatedResults(flags: ReadonlyMap<string, ParsedFlag>, subjects: Subjects, nowMs: number, clientKeys: ReadonlySet<string>): FlagResults {
  return {
    keys: () => [...flags.keys()],
    result: (key) => {
      const flag = flags.get(key);
      return flag ? (evaluate(flag, subjects, nowMs) as CheckFlagResult) : undefined;
    },
    value: (key) => {
      const flag = flags.get(key);
      return flag ? evaluateValue(flag, subjects) : undefined;
    },
    clientKeys,
    missingReason: REASON_FLAG_NOT_FOUND,
  };
}
