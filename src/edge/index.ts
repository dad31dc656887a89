/**
 * `flagwire/edge`: the client for edge runtimes (Next.js middleware and edge routes, Vercel Edge,
 * Cloudflare Workers). The same core as `flagwire/server` over Web APIs only: no Node built-ins, no `ws`. It runs
 * Schematic's REST API (an apiKey) or flags declared in code, evaluated by the same engine; or it reads a
 * snapshot from the app's flags endpoint.
 */
import { FlagsClient, type FlagsClientOptions } from '../core';
import { resolveOptions } from '../core/options';
import { edgeParts } from '../parts/edge';

/** The client options an edge runtime can honour (no flags file, no DataStream, no Redis). */
export type EdgeFlagsClientOptions = Omit<FlagsClientOptions, 'flagsFile' | 'watch' | 'useDataStream' | 'dataStream'>;

/** Creates a client for an edge runtime. Options are validated here: a bad one throws `FlagwireConfigError`. */
export function createEdgeFlagsClient(options: EdgeFlagsClientOptions): FlagsClient {
  // The parts are made in the constructor, so an option this runtime cannot honour fails here, not on a check.
  return new FlagsClient(resolveOptions(options), edgeParts);
}

export { snapshotFromEndpoint } from './snapshot-from-endpoint';
export type { SnapshotFromEndpointOptions } from './snapshot-from-endpoint';
export {
  ApiError,
  defineFlags,
  FlagsClient,
  FlagsSnapshot,
  FlagwireConfigError,
  FlagwireError,
  htmlSafeJson,
  InvalidEntityError,
  REASON_FLAG_DEFAULT,
  REASON_FLAG_NOT_FOUND,
  REASON_FROM_SNAPSHOT,
  REASON_OFFLINE,
} from '../core';
export type {
  BrowserFlag,
  CheckFlagOptions,
  CheckFlagResult,
  ClientStatus,
  EvaluationContext,
  FlagEntitlement,
  FlagKey,
  IdentifyBody,
  Register,
  SnapshotJSON,
  TrackBody,
} from '../core';
export type { FlagDeclarations } from '../flags-file/schema';
