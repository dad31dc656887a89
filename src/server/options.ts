import { resolve } from 'node:path';
import { FlagwireConfigError } from './errors';
import type { FlagDeclarations } from './flags-file/schema';
import { leveledLogger, LOG_LEVELS, type Logger, type LogLevel } from './logger';

export const DEFAULT_FLAGS_FILE = 'flagwire.flags.json';
export const DEFAULT_TIMEOUT_MS = 2_000;
export const DEFAULT_START_WAIT_MS = 3_000;
export const DEFAULT_MAX_ENTITIES = 100_000;

/**
 * Options of `createFlagsClient`. Names shared with Schematic's Node SDK mean the same thing there, so
 * moving from `@schematichq/schematic-typescript-node` is a changed import.
 */
export interface FlagsClientOptions {
  /**
   * Schematic secret API key. Without one the client runs on its embedded default: the local flags file.
   * Schematic API, DataStream and replicator modes are not in this version yet.
   */
  apiKey?: string;
  /** Serve `flagDefaults` only and do no I/O at all: no file, no network. @default false */
  offline?: boolean;
  /** Values for flags that cannot be evaluated (unknown key, client not ready). Unlisted flags default to `false`. */
  flagDefaults?: Record<string, boolean>;
  /** The longest a check waits for the client to be ready before answering with the default. @default 2000 */
  timeoutMs?: number;
  /** Receives flagwire's log lines. @default the console */
  logger?: Logger;
  /** The least severe level that is logged. @default 'warn' */
  logLevel?: LogLevel;
  /**
   * Flags declared in code (see `defineFlags`) instead of a flags file: same format as the file's `flags`.
   * Handy for tests and small apps; nothing is read from disk.
   */
  flags?: FlagDeclarations;
  /** Path of the flags file (local mode). @default 'flagwire.flags.json' in the working directory */
  flagsFile?: string;
  /** Reload the flags file when it changes. @default true */
  watch?: boolean;
  /** How long `ready()` waits for the first data before resolving anyway (checks then serve defaults). @default 3000 */
  startWaitMs?: number;
  /** Flags whose values may reach the browser, besides those the flags file marks `"client": true`. */
  clientFlags?: readonly string[];
  /** The most companies and users held in memory; the least recently used go first. @default 100000 */
  maxEntities?: number;
  /** The clock, for tests. @default Date.now */
  now?: () => number;
}

export interface ResolvedOptions {
  readonly mode: 'local' | 'offline';
  readonly flagDefaults: Readonly<Record<string, boolean>>;
  readonly timeoutMs: number;
  readonly logger: Logger;
  readonly flagsFile: string;
  readonly inlineFlags: FlagDeclarations | null;
  readonly watch: boolean;
  readonly startWaitMs: number;
  readonly clientFlags: ReadonlySet<string>;
  readonly maxEntities: number;
  readonly now: () => number;
}

const KNOWN_OPTIONS = new Set([
  'apiKey',
  'offline',
  'flagDefaults',
  'timeoutMs',
  'logger',
  'logLevel',
  'flags',
  'flagsFile',
  'watch',
  'startWaitMs',
  'clientFlags',
  'maxEntities',
  'now',
]);

/** Schematic SDK options that belong to modes this version does not have yet. */
const NOT_YET = ['basePath', 'eventCaptureBaseURL', 'maxRetries', 'eventBufferInterval', 'cacheProviders', 'useDataStream', 'dataStream'];

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The known option a misspelt one most likely meant. */
function closest(name: string): string | undefined {
  const lower = name.toLowerCase();
  const ranked = [...KNOWN_OPTIONS].map((known) => ({ known, distance: editDistance(lower, known.toLowerCase()) }));
  const best = ranked.sort((a, b) => a.distance - b.distance)[0];
  return best && best.distance <= 2 ? best.known : undefined;
}

function duration(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new FlagwireConfigError(field, `expected a duration in milliseconds (a number ≥ 0), got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Validates options at creation, naming the field that is wrong, and fills in every default. */
export function resolveOptions(options: FlagsClientOptions = {}, cwd = process.cwd()): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new FlagwireConfigError('options', 'expected an object');
  for (const field of Object.keys(options)) {
    if (NOT_YET.includes(field)) {
      throw new FlagwireConfigError(field, 'belongs to Schematic API and DataStream modes, which this version of flagwire does not have yet');
    }
    if (!KNOWN_OPTIONS.has(field)) {
      const suggestion = closest(field);
      throw new FlagwireConfigError(field, `unknown option${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`);
    }
  }
  const { apiKey, offline = false, logLevel = 'warn' } = options;
  if (typeof offline !== 'boolean') throw new FlagwireConfigError('offline', 'expected true or false');
  if (apiKey !== undefined && apiKey !== '' && !offline) {
    throw new FlagwireConfigError('apiKey', 'Schematic API mode is not in this version yet; omit apiKey to run on the local flags file');
  }
  if (!LOG_LEVELS.has(logLevel)) throw new FlagwireConfigError('logLevel', `expected one of ${[...LOG_LEVELS].join(', ')}`);
  const flagDefaults = options.flagDefaults ?? {};
  for (const [key, value] of Object.entries(flagDefaults)) {
    if (typeof value !== 'boolean') throw new FlagwireConfigError(`flagDefaults.${key}`, 'expected true or false');
  }
  const flagsFile = options.flagsFile ?? DEFAULT_FLAGS_FILE;
  if (typeof flagsFile !== 'string' || flagsFile === '') throw new FlagwireConfigError('flagsFile', 'expected a file path');
  const clientFlags = options.clientFlags ?? [];
  if (!Array.isArray(clientFlags) || clientFlags.some((k) => typeof k !== 'string')) {
    throw new FlagwireConfigError('clientFlags', 'expected an array of flag keys');
  }
  const maxEntities = options.maxEntities ?? DEFAULT_MAX_ENTITIES;
  if (!Number.isInteger(maxEntities) || maxEntities < 1) throw new FlagwireConfigError('maxEntities', 'expected a whole number ≥ 1');
  if (options.now !== undefined && typeof options.now !== 'function') throw new FlagwireConfigError('now', 'expected a function');
  if (options.flags !== undefined && (typeof options.flags !== 'object' || options.flags === null || Array.isArray(options.flags))) {
    throw new FlagwireConfigError('flags', 'expected flag declarations: { "my-flag": { "default": false, "rules": [...] } }');
  }
  if (options.flags !== undefined && options.flagsFile !== undefined) {
    throw new FlagwireConfigError('flags', 'give flags or flagsFile, not both');
  }
  if (options.watch !== undefined && typeof options.watch !== 'boolean') throw new FlagwireConfigError('watch', 'expected true or false');
  return {
    mode: offline ? 'offline' : 'local',
    flagDefaults: { ...flagDefaults },
    timeoutMs: duration(options.timeoutMs, 'timeoutMs', DEFAULT_TIMEOUT_MS),
    logger: leveledLogger(options.logger, logLevel),
    flagsFile: resolve(cwd, flagsFile),
    inlineFlags: options.flags ?? null,
    watch: options.watch ?? true,
    startWaitMs: duration(options.startWaitMs, 'startWaitMs', DEFAULT_START_WAIT_MS),
    clientFlags: new Set(clientFlags),
    maxEntities,
    now: options.now ?? Date.now,
  };
}
