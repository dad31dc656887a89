import type { FlagsFileProblem } from '../../core/errors';
import type { FlagsParts } from '../../flags-file/transfer';

/** What the worker is given: the file's bytes (a copy) and its path, for messages. */
export interface ToFlagsWorker {
  readonly bytes: Uint8Array;
  readonly file: string;
}

/**
 * What it answers, one message at a time (the next when the main thread posts anything): the flags, then
 * companies and users in slices (ids, each entity's print and wire JSON), then `end`; or the file's problems; or
 * `featbit` for a file in FeatBit's format, whose flags are read where they are used.
 */
export type FromFlagsWorker =
  | { readonly kind: 'flags'; readonly parts: FlagsParts }
  | { readonly kind: 'companies' | 'users'; readonly ids: readonly string[]; readonly prints: readonly number[]; readonly texts: readonly string[] }
  | { readonly kind: 'end' }
  | { readonly kind: 'featbit' }
  | { readonly kind: 'problems'; readonly problems: readonly FlagsFileProblem[] }
  | { readonly kind: 'failed'; readonly message: string };

/** Entities per message: small enough that receiving one takes the main thread a few milliseconds. */
export const ENTITIES_PER_MESSAGE = 2000;
