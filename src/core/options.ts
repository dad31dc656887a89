import type { ExposureHandler } from './exposures';
import { FlagwireConfigError } from './errors';
import { closestName } from './internal/closest';
import { urlOption } from './internal/url-option';
import type { CacheProvider } from '../api/check-cache';
import { type FeatBitOptions, type ResolvedFeatBitOptions, resolveFeatBitOptions } from '../sources/featbit/featbit-options';
import type { FlagDeclarations, SegmentDeclarations } from '../flags-file/schema';
import { leveledLogger, LOG_LEVELS, type Logger, type LogLevel } from './logger';
import { DEFAULT_KEY_PREFIX } from '../store/redis-keys';
import { DEFAULT_ENTITY_TTL_MS, type RedisClient } from '../store/redis-store';
import type { ClientMode } from './types';
import { type FlagValue, isFlagValue } from './values';

export const DEFAULT_FLAGS_FILE = 'flagwire.flags.json';
export const DEFAULT_TIMEOUT_MS = 2_000;
export const DEFAULT_START_WAIT_MS = 3_000;
export const DEFAULT_MAX_ENTITIES = 100_000;
export const DEFAULT_BASE_PATH = 'https://api.schematichq.com';
export const DEFAULT_EVENT_CAPTURE_BASE_URL = 'https://c.schematichq.com';
export const DEFAULT_MAX_RETRIES = 2;
export const DEFAULT_EVENT_BUFFER_INTERVAL_MS = 1_000;
export const DEFAULT_MAX_QUEUED_EVENTS = 100_000;
/** 64 MiB of queued events, as their serialised JSON counts them. */
export const DEFAULT_MAX_QUEUED_EVENT_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_EVENT_REQUESTS_IN_FLIGHT = 4;
export const DEFAULT_CLOSE_TIMEOUT_MS = 5_000;

/**
 * Options of `createFlagsClient`. Names shared with Schematic's Node SDK mean the same thing there, so
 * moving from `@schematichq/schematic-typescript-node` is a changed import.
 */
export interface FlagsClientOptions {
  /**
   * Schematic secret API key: checks go to Schematic's API. Without one the client runs on its embedded
   * default, the local flags file. With `useDataStream`, flags and entities arrive over Schematic's DataStream.
   */
  apiKey?: string;
  /** Schematic API origin. @default 'https://api.schematichq.com' */
  basePath?: string;
  /** Schematic event capture origin. @default 'https://c.schematichq.com' */
  eventCaptureBaseURL?: string;
  /** Retries of an API call answered 408, 429 or 5xx (checks stop retrying at their timeout). @default 2 */
  maxRetries?: number;
  /** How often queued identify/track events are sent, in ms. @default 1000 */
  eventBufferInterval?: number;
  /** The most events held while the events endpoint (Schematic's, FeatBit's) cannot be reached; past it the oldest go, with a warning. @default 100000 */
  maxQueuedEvents?: number;
  /**
   * The most bytes of events held, as their serialised JSON counts them (one per character); past it the
   * oldest go, with a warning. Bounds memory when events are large. @default 67108864 (64 MiB)
   */
  maxQueuedEventBytes?: number;
  /** How many event batches may be on their way at once (POSTs in flight to the events endpoint). @default 4 */
  maxEventRequestsInFlight?: number;
  /** The first wait after a failed event batch, in ms; it doubles with each failure in a row, up to 30 s. @default 1000 */
  eventRetryInitialDelayMs?: number;
  /** How long `close()` keeps trying to deliver queued events, in ms. @default 5000 */
  closeTimeoutMs?: number;
  /** Where API check results are cached: `{ flagChecks: [...] }`; `[]` turns caching off. @default an LRU of 1000 for 5 s */
  cacheProviders?: { flagChecks?: CacheProvider<unknown>[] };
  /** The fetch implementation, for tests and custom agents. @default globalThis.fetch */
  fetch?: typeof globalThis.fetch;
  /** For an API key that is not tied to one environment: sent as `X-Schematic-Environment-Id` on every API and event request. */
  environmentId?: string;
  /** Extra headers on every API and event request (flagwire's own — the API key, content type, client name — win). */
  headers?: Record<string, string>;
  /** Evaluate in-process on flags and entities Schematic pushes over its DataStream WebSocket (needs `apiKey`). @default false */
  useDataStream?: boolean;
  dataStream?: DataStreamOptions;
  /** Serve `flagDefaults` only and do no I/O at all: no file, no network. @default false */
  offline?: boolean;
  /**
   * Values for flags that cannot be evaluated (unknown key, client not ready): booleans for on/off flags, any
   * JSON value for flags with variations. Unlisted flags default to `false`; a caller's default wins.
   */
  flagDefaults?: Record<string, FlagValue>;
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
  /** Flags from a FeatBit server (data-sync, insights), or FeatBit's bootstrap JSON offline. See FeatBitOptions. */
  featbit?: FeatBitOptions;
  /** Segments the `flags` option's conditions name (`in segment beta`), in the flags file's format. */
  segments?: SegmentDeclarations;
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
  /**
   * Where exposures go (a visitor saw a flag's value; see `Exposure`): called in batches, after responses, never
   * on a request's path. The Express and Next adapters count them only when this is given.
   */
  onExposures?: ExposureHandler;
}

/** DataStream settings, named as in Schematic's Node SDK. */
export interface DataStreamOptions {
  /** How long cached companies and users live, in ms. @default 24 h */
  cacheTTL?: number;
  /** A connected node-redis client: companies, users and flags are then cached in Redis, shared across processes. */
  redisClient?: RedisClient;
  /** @default 'schematic:' */
  redisKeyPrefix?: string;
  /** The first wait before reconnecting after a failed connect; doubles up to 30 s. @default 1000 */
  reconnectInitialDelayMs?: number;
  /** Read what a replicator writes to Redis instead of holding a DataStream socket (needs `redisClient`). @default false */
  replicatorMode?: boolean;
  /** The replicator's readiness endpoint. @default 'http://localhost:8090/ready' */
  replicatorHealthURL?: string;
  /** How often the replicator's health is polled, in ms. @default 30000 */
  replicatorHealthCheck?: number;
}

export interface ResolvedOptions {
  readonly mode: ClientMode;
  readonly apiKey: string;
  readonly basePath: string;
  readonly eventCaptureBaseURL: string;
  readonly maxRetries: number;
  readonly eventBufferInterval: number;
  readonly maxQueuedEvents: number;
  readonly maxQueuedEventBytes: number;
  readonly maxEventRequestsInFlight: number;
  readonly eventRetryInitialDelayMs: number;
  readonly closeTimeoutMs: number;
  readonly cacheProviders: { readonly flagChecks?: CacheProvider<unknown>[] } | null;
  readonly fetch: typeof globalThis.fetch;
  /** Whether the app gave `fetch` (then every request goes through it, event POSTs included). */
  readonly fetchGiven: boolean;
  /** Extra headers on every API and event request: `headers`, then `X-Schematic-Environment-Id`. */
  readonly headers: Readonly<Record<string, string>>;
  readonly dataStream: {
    readonly cacheTTL: number;
    readonly redisClient: RedisClient | null;
    readonly redisKeyPrefix: string;
    readonly reconnectBaseMs: number;
    readonly replicatorMode: boolean;
    readonly replicatorHealthURL: string;
    readonly replicatorHealthCheck: number;
  };
  readonly flagDefaults: Readonly<Record<string, FlagValue>>;
  readonly timeoutMs: number;
  readonly logger: Logger;
  readonly flagsFile: string;
  readonly featbit: ResolvedFeatBitOptions | null;
  readonly inlineFlags: FlagDeclarations | null;
  readonly inlineSegments: SegmentDeclarations;
  readonly watch: boolean;
  readonly startWaitMs: number;
  readonly clientFlags: ReadonlySet<string>;
  readonly maxEntities: number;
  readonly now: () => number;
  readonly onExposures: ExposureHandler | null;
}

const KNOWN_OPTIONS = new Set([
  'apiKey',
  'basePath',
  'eventCaptureBaseURL',
  'maxRetries',
  'eventBufferInterval',
  'maxQueuedEvents',
  'maxQueuedEventBytes',
  'maxEventRequestsInFlight',
  'eventRetryInitialDelayMs',
  'closeTimeoutMs',
  'cacheProviders',
  'fetch',
  'environmentId',
  'headers',
  'useDataStream',
  'dataStream',
  'offline',
  'flagDefaults',
  'timeoutMs',
  'logger',
  'logLevel',
  'flags',
  'segments',
  'featbit',
  'flagsFile',
  'watch',
  'startWaitMs',
  'clientFlags',
  'maxEntities',
  'now',
  'onExposures',
]);

/** Schematic SDK options that belong to modes this version does not have yet. */
const NOT_YET: string[] = [];


function duration(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new FlagwireConfigError(field, `expected a duration in milliseconds (a number ≥ 0), got ${JSON.stringify(value)}`);
  }
  return value;
}

/** An origin URL; a blank value counts as unset, as in Schematic's SDK. Trailing slashes are dropped. */
function url(value: unknown, field: string, fallback: string): string {
  return urlOption(value, field) ?? fallback;
}

/** The extra request headers: `headers` as given, and the environment id when there is one (blank counts as unset). */
function requestHeaders(headers: unknown, environmentId: unknown): Record<string, string> {
  if (headers !== undefined && (typeof headers !== 'object' || headers === null || Array.isArray(headers))) {
    throw new FlagwireConfigError('headers', 'expected an object of header names to string values');
  }
  if (environmentId !== undefined && typeof environmentId !== 'string') throw new FlagwireConfigError('environmentId', 'expected a string');
  const extra: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (typeof value !== 'string') throw new FlagwireConfigError(`headers.${name}`, `expected a string, got ${typeof value}`);
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new FlagwireConfigError(`headers.${name}`, 'not a valid header name');
    // A header value cannot span lines: fetch would refuse every request.
    if (/[\r\n\0]/.test(value)) throw new FlagwireConfigError(`headers.${name}`, 'a header value cannot contain line breaks or NUL');
    extra[name] = value;
  }
  // As in Schematic's SDK, a header given in `headers` wins over `environmentId`.
  const named = Object.keys(extra).some((name) => name.toLowerCase() === 'x-schematic-environment-id');
  if (!named && typeof environmentId === 'string' && environmentId.trim() !== '') extra['X-Schematic-Environment-Id'] = environmentId.trim();
  return extra;
}

/** Validates options at creation, naming the field that is wrong, and fills in every default. */
export function resolveOptions(options: FlagsClientOptions = {}): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new FlagwireConfigError('options', 'expected an object');
  for (const field of Object.keys(options)) {
    if (NOT_YET.includes(field)) {
      throw new FlagwireConfigError(field, 'belongs to Schematic DataStream mode, which this version of flagwire does not have yet');
    }
    if (!KNOWN_OPTIONS.has(field)) {
      const suggestion = closestName(field, KNOWN_OPTIONS);
      throw new FlagwireConfigError(field, `unknown option${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`);
    }
  }
  const { apiKey, offline = false, logLevel = 'warn' } = options;
  if (typeof offline !== 'boolean') throw new FlagwireConfigError('offline', 'expected true or false');
  if (apiKey !== undefined && typeof apiKey !== 'string') throw new FlagwireConfigError('apiKey', 'expected a string');
  const hasApiKey = typeof apiKey === 'string' && apiKey.trim() !== '';
  const basePath = url(options.basePath, 'basePath', DEFAULT_BASE_PATH);
  const eventCaptureBaseURL = url(options.eventCaptureBaseURL, 'eventCaptureBaseURL', DEFAULT_EVENT_CAPTURE_BASE_URL);
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new FlagwireConfigError('maxRetries', 'expected a whole number ≥ 0');
  const maxQueuedEvents = options.maxQueuedEvents ?? DEFAULT_MAX_QUEUED_EVENTS;
  if (!Number.isInteger(maxQueuedEvents) || maxQueuedEvents < 1) throw new FlagwireConfigError('maxQueuedEvents', 'expected a whole number ≥ 1');
  const maxQueuedEventBytes = options.maxQueuedEventBytes ?? DEFAULT_MAX_QUEUED_EVENT_BYTES;
  if (!Number.isInteger(maxQueuedEventBytes) || maxQueuedEventBytes < 1) throw new FlagwireConfigError('maxQueuedEventBytes', 'expected a whole number of bytes ≥ 1');
  const maxEventRequestsInFlight = options.maxEventRequestsInFlight ?? DEFAULT_MAX_EVENT_REQUESTS_IN_FLIGHT;
  if (!Number.isInteger(maxEventRequestsInFlight) || maxEventRequestsInFlight < 1) throw new FlagwireConfigError('maxEventRequestsInFlight', 'expected a whole number ≥ 1');
  const flagChecks = options.cacheProviders?.flagChecks;
  if (flagChecks !== undefined && (!Array.isArray(flagChecks) || flagChecks.some((c) => typeof c?.get !== 'function' || typeof c?.set !== 'function'))) {
    throw new FlagwireConfigError('cacheProviders.flagChecks', 'expected an array of cache providers (objects with get and set)');
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const useDataStream = options.useDataStream ?? false;
  if (typeof useDataStream !== 'boolean') throw new FlagwireConfigError('useDataStream', 'expected true or false');
  if (useDataStream && !hasApiKey && !offline) throw new FlagwireConfigError('useDataStream', 'DataStream needs an apiKey');
  const dataStream = options.dataStream ?? {};
  const dataStreamFields = ['cacheTTL', 'redisClient', 'redisKeyPrefix', 'reconnectInitialDelayMs', 'replicatorMode', 'replicatorHealthURL', 'replicatorHealthCheck'];
  for (const field of Object.keys(dataStream)) {
    if (!dataStreamFields.includes(field)) throw new FlagwireConfigError(`dataStream.${field}`, 'unknown option');
  }
  const replicatorMode = dataStream.replicatorMode ?? false;
  if (replicatorMode && !dataStream.redisClient) throw new FlagwireConfigError('dataStream.replicatorMode', 'replicator mode reads Redis: pass dataStream.redisClient');
  const redisClient = dataStream.redisClient ?? null;
  if (redisClient !== null && (typeof redisClient.get !== 'function' || typeof redisClient.setEx !== 'function')) {
    throw new FlagwireConfigError('dataStream.redisClient', 'expected a connected node-redis client (the `redis` package)');
  }
  if (hasApiKey && typeof fetchImpl !== 'function') throw new FlagwireConfigError('fetch', 'no fetch implementation is available; pass one');
  if (!LOG_LEVELS.has(logLevel)) throw new FlagwireConfigError('logLevel', `expected one of ${[...LOG_LEVELS].join(', ')}`);
  const flagDefaults = options.flagDefaults ?? {};
  for (const [key, value] of Object.entries(flagDefaults)) {
    if (!isFlagValue(value)) throw new FlagwireConfigError(`flagDefaults.${key}`, 'expected a flag value: a boolean, string, number or JSON data');
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
  if (options.onExposures !== undefined && typeof options.onExposures !== 'function') throw new FlagwireConfigError('onExposures', 'expected a function (exposures) => …');
  if (options.flags !== undefined && (typeof options.flags !== 'object' || options.flags === null || Array.isArray(options.flags))) {
    throw new FlagwireConfigError('flags', 'expected flag declarations: { "my-flag": { "default": false, "rules": [...] } }');
  }
  if (options.flags !== undefined && options.flagsFile !== undefined) {
    throw new FlagwireConfigError('flags', 'give flags or flagsFile, not both');
  }
  if (options.watch !== undefined && typeof options.watch !== 'boolean') throw new FlagwireConfigError('watch', 'expected true or false');
  if (hasApiKey && options.flagsFile !== undefined) {
    throw new FlagwireConfigError('flagsFile', 'give apiKey (flags from Schematic) or flagsFile (flags from a local file), not both');
  }
  if (hasApiKey && options.flags !== undefined) {
    throw new FlagwireConfigError('flags', 'give apiKey (flags from Schematic) or flags (flags declared in code), not both');
  }
  const featbit = options.featbit === undefined ? null : resolveFeatBitOptions(options.featbit);
  if (featbit !== null) {
    const other = hasApiKey ? 'apiKey' : options.flags !== undefined ? 'flags' : options.flagsFile !== undefined ? 'flagsFile' : null;
    if (other !== null) throw new FlagwireConfigError('featbit', `give featbit (flags from FeatBit) or ${other}, not both`);
  }
  return {
    mode: offline ? 'offline' : featbit !== null ? 'featbit' : hasApiKey ? (replicatorMode ? 'replicator' : useDataStream ? 'datastream' : 'api') : 'local',
    featbit,
    dataStream: {
      cacheTTL: duration(dataStream.cacheTTL, 'dataStream.cacheTTL', DEFAULT_ENTITY_TTL_MS),
      redisClient,
      redisKeyPrefix: dataStream.redisKeyPrefix ?? DEFAULT_KEY_PREFIX,
      reconnectBaseMs: duration(dataStream.reconnectInitialDelayMs, 'dataStream.reconnectInitialDelayMs', 1000),
      replicatorMode,
      replicatorHealthURL: url(dataStream.replicatorHealthURL, 'dataStream.replicatorHealthURL', 'http://localhost:8090/ready'),
      replicatorHealthCheck: duration(dataStream.replicatorHealthCheck, 'dataStream.replicatorHealthCheck', 30_000),
    },
    apiKey: hasApiKey ? apiKey.trim() : '',
    basePath,
    eventCaptureBaseURL,
    maxRetries,
    eventBufferInterval: duration(options.eventBufferInterval, 'eventBufferInterval', DEFAULT_EVENT_BUFFER_INTERVAL_MS),
    maxQueuedEvents,
    maxQueuedEventBytes,
    maxEventRequestsInFlight,
    eventRetryInitialDelayMs: duration(options.eventRetryInitialDelayMs, 'eventRetryInitialDelayMs', 1_000),
    closeTimeoutMs: duration(options.closeTimeoutMs, 'closeTimeoutMs', DEFAULT_CLOSE_TIMEOUT_MS),
    cacheProviders: options.cacheProviders ?? null,
    fetch: fetchImpl,
    fetchGiven: options.fetch !== undefined,
    headers: requestHeaders(options.headers, options.environmentId),
    flagDefaults: { ...flagDefaults },
    timeoutMs: duration(options.timeoutMs, 'timeoutMs', DEFAULT_TIMEOUT_MS),
    logger: leveledLogger(options.logger, logLevel),
    flagsFile,
    inlineFlags: options.flags ?? null,
    inlineSegments: options.segments ?? {},
    watch: options.watch ?? true,
    startWaitMs: featbit?.startWaitTime ?? duration(options.startWaitMs, 'startWaitMs', DEFAULT_START_WAIT_MS),
    clientFlags: new Set(clientFlags),
    maxEntities,
    now: options.now ?? Date.now,
    onExposures: options.onExposures ?? null,
  };
}
