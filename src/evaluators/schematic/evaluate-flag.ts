import { INVALID_ENTITY_REASON } from '../../core/reasons';
import {
  type EvaluationResult,
  evaluate,
  PARSED,
  type ParsedCheckOptions,
  type ParsedCompany,
  type ParsedFlag,
  type ParsedUser,
  parseCheckOptions,
  parseCompany,
  parseFlag,
  parseUser,
  type WireCheckOptions,
  type WireCompany,
  type WireFlag,
  type WireUser,
} from './engine';
import { unevaluated } from '../../core/default-result';
import { FlagwireError } from '../../core/errors';

/** Preflight options, plus the moment to compute entitlement reset times from. */
export interface EvaluateFlagOptions extends WireCheckOptions {
  /** "Now" for entitlement reset times. @default the current time */
  now?: Date | number;
}

export { INVALID_ENTITY_REASON };

function isParsed<K extends string>(value: unknown, kind: K): boolean {
  return typeof value === 'object' && value !== null && (value as { [PARSED]?: unknown })[PARSED] === kind;
}

function parsedOrNull<T>(value: unknown, kind: string, parse: (raw: unknown) => T): T | null {
  if (value === undefined || value === null) return null;
  return isParsed(value, kind) ? (value as T) : parse(value);
}

/**
 * Evaluates one flag for a company and user, exactly as Schematic's rules engine would. Takes DataStream
 * wire JSON (snake_case or camelCase) or entities already parsed with `parseFlag`/`parseCompany`/
 * `parseUser`/`parseCheckOptions` (the fast path: no validation, no JSON work).
 *
 * Never throws: input Schematic's engine would reject gives the flag's default value (or `false`) with
 * `err` saying what is wrong and where.
 */
export function evaluateFlag(
  flag: WireFlag | ParsedFlag,
  company?: WireCompany | ParsedCompany | null,
  user?: WireUser | ParsedUser | null,
  options?: EvaluateFlagOptions | ParsedCheckOptions | null,
): EvaluationResult {
  let parsedFlag: ParsedFlag | null = null;
  try {
    parsedFlag = parsedOrNull(flag, 'flag', parseFlag);
    if (parsedFlag === null) return failed(null, 'no flag was given');
    const now = options && !isParsed(options, 'options') ? (options as EvaluateFlagOptions).now : undefined;
    const subjects = {
      company: parsedOrNull<ParsedCompany>(company, 'company', parseCompany),
      user: parsedOrNull<ParsedUser>(user, 'user', parseUser),
      options: parsedOrNull<ParsedCheckOptions>(options, 'options', parseCheckOptions),
    };
    return evaluate(parsedFlag, subjects, now === undefined ? Date.now() : Number(now));
  } catch (error) {
    return failed(parsedFlag, error instanceof FlagwireError ? error.message : `[flagwire] evaluation failed: ${String(error)}`);
  }
}

function failed(flag: ParsedFlag | null, err: string): EvaluationResult {
  return unevaluated(flag ? flag.key : null, flag ? flag.defaultValue : false, INVALID_ENTITY_REASON, err, flag ? flag.id : null);
}
