import { FlagwireConfigError } from '../../core/errors';
import { urlOption } from '../../core/internal/url-option';

/**
 * `createFlagsClient({ featbit: { ... } })`: flags from a FeatBit server. Names follow FeatBit's server SDKs
 * (`envSecret`, `streamingUri`, `eventsUri`, `pollingUri`, `startWaitTime`, `offline`, a JSON bootstrap).
 */
export interface FeatBitOptions {
  /** The environment's server secret (FeatBit's `EnvSecret`/`sdkKey`). Not needed offline. */
  envSecret?: string;
  /** FeatBit's evaluation server, for the data-sync WebSocket (`ws(s)://` or `http(s)://`). */
  streamingUri?: string;
  /** Where insight events go (FeatBit's event server). @default streamingUri as http(s) */
  eventsUri?: string;
  /** Polled for `latest-all` while the WebSocket is down. @default streamingUri as http(s); `false` not to poll */
  pollingUri?: string | false;
  /** The longest `ready()` waits for the first sync, in ms (FeatBit's `startWaitTime`). @default the client's startWaitMs */
  startWaitTime?: number;
  /** No network at all: serve the bootstrap (or defaults), send no events. @default false */
  offline?: boolean;
  /** FeatBit's bootstrap JSON — the data-sync envelope `{ messageType, data: { eventType, featureFlags, segments } }` — as text or parsed. */
  bootstrap?: string | object;
  /** Send evaluation and metric insights. @default true (never offline) */
  sendEvents?: boolean;
  /**
   * The largest data-sync frame or `latest-all` polling answer taken, in bytes. A bigger one is refused
   * before it is read whole (the WebSocket closes and reconnects; the poll is dropped), logged, and the flags
   * held are kept. @default 33 554 432 (32 MiB)
   */
  maxFrameBytes?: number;
  /**
   * The most flags and segments (together) one frame or polling answer may carry. More is refused whole,
   * logged, and the flags held are kept. @default 50 000
   */
  maxFrameRows?: number;
}

/** 32 MiB: ten thousand flags of FeatBit's usual size fit many times over. */
export const DEFAULT_MAX_FRAME_BYTES = 32 * 1024 * 1024;
export const DEFAULT_MAX_FRAME_ROWS = 50_000;

export interface ResolvedFeatBitOptions {
  readonly envSecret: string;
  readonly streamingUri: string | null;
  readonly eventsUri: string | null;
  readonly pollingUri: string | null;
  readonly startWaitTime: number | null;
  readonly offline: boolean;
  readonly bootstrap: unknown;
  readonly sendEvents: boolean;
  readonly maxFrameBytes: number;
  readonly maxFrameRows: number;
}

const KNOWN = new Set(['envSecret', 'streamingUri', 'eventsUri', 'pollingUri', 'startWaitTime', 'offline', 'bootstrap', 'sendEvents', 'maxFrameBytes', 'maxFrameRows']);

function positiveInteger(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new FlagwireConfigError(`featbit.${name}`, 'expected a whole number ≥ 1');
  return value;
}

/** Checks `featbit` options at creation: a bad one throws FlagwireConfigError naming it. */
export function resolveFeatBitOptions(given: FeatBitOptions): ResolvedFeatBitOptions {
  if (typeof given !== 'object' || given === null) throw new FlagwireConfigError('featbit', 'expected FeatBit options: { envSecret, streamingUri, eventsUri }');
  for (const name of Object.keys(given)) if (!KNOWN.has(name)) throw new FlagwireConfigError(`featbit.${name}`, `unknown option; FeatBit options are ${[...KNOWN].join(', ')}`);
  const offline = given.offline ?? false;
  if (typeof offline !== 'boolean') throw new FlagwireConfigError('featbit.offline', 'expected true or false');
  const envSecret = typeof given.envSecret === 'string' ? given.envSecret.trim() : '';
  if (!offline && envSecret === '') throw new FlagwireConfigError('featbit.envSecret', "FeatBit's server secret is needed to sync flags (or set offline: true with a bootstrap)");
  const streamingUri = offline ? null : urlOption(given.streamingUri, 'featbit.streamingUri', { allowWs: true });
  if (!offline && streamingUri === null) throw new FlagwireConfigError('featbit.streamingUri', "FeatBit's evaluation server URL is needed to sync flags");
  const httpBase = streamingUri?.replace(/^ws/, 'http') ?? null;
  const sendEvents = !offline && (given.sendEvents ?? true);
  if (typeof sendEvents !== 'boolean') throw new FlagwireConfigError('featbit.sendEvents', 'expected true or false');
  const startWaitTime = given.startWaitTime ?? null;
  if (startWaitTime !== null && (typeof startWaitTime !== 'number' || !Number.isFinite(startWaitTime) || startWaitTime < 0)) {
    throw new FlagwireConfigError('featbit.startWaitTime', 'expected a duration in milliseconds (a number ≥ 0)');
  }
  return {
    envSecret,
    streamingUri,
    eventsUri: sendEvents ? (urlOption(given.eventsUri, 'featbit.eventsUri') ?? httpBase) : null,
    pollingUri: offline || given.pollingUri === false ? null : (urlOption(given.pollingUri, 'featbit.pollingUri') ?? httpBase),
    startWaitTime,
    offline,
    bootstrap: readBootstrap(given.bootstrap),
    sendEvents,
    maxFrameBytes: positiveInteger(given.maxFrameBytes, 'maxFrameBytes', DEFAULT_MAX_FRAME_BYTES),
    maxFrameRows: positiveInteger(given.maxFrameRows, 'maxFrameRows', DEFAULT_MAX_FRAME_ROWS),
  };
}

function readBootstrap(bootstrap: unknown): unknown {
  if (bootstrap === undefined) return null;
  if (typeof bootstrap === 'object' && bootstrap !== null) return bootstrap;
  if (typeof bootstrap !== 'string') throw new FlagwireConfigError('featbit.bootstrap', "expected FeatBit's bootstrap JSON (text or parsed)");
  try {
    return JSON.parse(bootstrap) as unknown;
  } catch (error) {
    throw new FlagwireConfigError('featbit.bootstrap', `is not JSON: ${(error as Error).message}`);
  }
}
