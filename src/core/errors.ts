/**
 * Every error flagwire throws is a `FlagwireError` with a machine-readable `code`, so callers can branch on
 * `error.code` without parsing messages. Subclasses exist only where callers catch them differently.
 */
export type FlagwireErrorCode = 'invalid_entity' | 'invalid_config' | 'invalid_flags_file' | 'api_error' | 'invalid_webhook';

export class FlagwireError extends Error {
  readonly code: FlagwireErrorCode;

  constructor(code: FlagwireErrorCode, message: string, options?: { cause?: unknown }) {
    super(`[flagwire] ${message}`, options);
    this.name = 'FlagwireError';
    this.code = code;
  }
}

/** `error` as a FlagwireError: itself when it is one, else one of `code` carrying its message (after `context`). */
export function asFlagwireError(error: unknown, code: FlagwireErrorCode, context = ''): FlagwireError {
  return error instanceof FlagwireError ? error : new FlagwireError(code, `${context}${String((error as Error)?.message ?? error)}`, { cause: error });
}

/** Which wire entity a parse error is about. */
export type EntityKind = 'flag' | 'company' | 'user' | 'options' | 'featbit flag' | 'featbit segment' | 'featbit user';

/**
 * A wire entity (DataStream/REST JSON) that Schematic's engine would reject: a missing required field, a
 * value of the wrong type, an unknown enum value, or the same field in both snake_case and camelCase.
 */
export class InvalidEntityError extends FlagwireError {
  readonly entity: EntityKind;
  /** Where in the entity the problem is, e.g. `rules[2].conditions[0].metric_value`. */
  readonly path: string;

  constructor(entity: EntityKind, path: string, problem: string) {
    super('invalid_entity', `invalid ${entity}${path ? ` at ${path}` : ''}: ${problem}`);
    this.name = 'InvalidEntityError';
    this.entity = entity;
    this.path = path;
  }
}

/** A client option that cannot work, named with the field it is about. Thrown at creation, never later. */
export class FlagwireConfigError extends FlagwireError {
  readonly field: string;

  constructor(field: string, problem: string) {
    super('invalid_config', `option ${field}: ${problem}`);
    this.name = 'FlagwireConfigError';
    this.field = field;
  }
}

/** One problem in a flags file, located by line and column. */
export interface FlagsFileProblem {
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** A flags file that cannot be used; `problems` lists each with its place. */
export class FlagsFileError extends FlagwireError {
  readonly file: string;
  readonly problems: readonly FlagsFileProblem[];

  constructor(file: string, problems: readonly FlagsFileProblem[]) {
    const listed = problems.map((p) => `  ${file}:${p.line}:${p.column} ${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n');
    super('invalid_flags_file', `${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${listed}`);
    this.name = 'FlagsFileError';
    this.file = file;
    this.problems = problems;
  }
}

/** Why a Schematic API call failed: an HTTP status, no answer in time, no connection, or an unreadable answer. */
export type ApiFailure = 'status' | 'timeout' | 'network' | 'invalid_response' | 'aborted';

/** A Schematic API call that failed, with the HTTP status and the body the API answered, when there was one. */
export class ApiError extends FlagwireError {
  readonly failure: ApiFailure;
  readonly status: number | null;
  readonly body: unknown;
  /** How long the API asked callers to wait before trying again (`Retry-After`, `X-RateLimit-Reset`). */
  readonly retryAfterMs: number | null;

  constructor(
    failure: ApiFailure,
    message: string,
    details: { status?: number | null; body?: unknown; cause?: unknown; retryAfterMs?: number | null } = {},
  ) {
    super('api_error', message, { cause: details.cause });
    this.name = 'ApiError';
    this.failure = failure;
    this.status = details.status ?? null;
    this.body = details.body;
    this.retryAfterMs = details.retryAfterMs ?? null;
  }

  /** Whether trying the same request again may succeed: no answer, an unreadable one, or 408/429/5xx. */
  get retryable(): boolean {
    return this.failure !== 'status' || this.status === 408 || this.status === 429 || (this.status ?? 0) >= 500;
  }
}
