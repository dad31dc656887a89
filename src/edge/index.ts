/**
 * `flagwire/edge`: the client for edge runtimes (Next.js middleware and edge routes, Vercel Edge,
 * Cloudflare Workers). Web APIs only: no Node built-ins, no `ws`. It runs Schematic's REST API (an
 * apiKey) or flags declared in code, evaluated by the same engine; or it reads a snapshot from the app's
 * flags endpoint.
 */
import { FlagsClient } from '../core/client';
import { type FlagsClientOptions, resolveOptions } from '../core/options';
import { edgeParts } from '../parts/edge';

/** The client options an edge runtime can honour (no flags file, no DataStream, no Redis). */
export type EdgeFlagsClientOptions = Omit<FlagsClientOptions, 'flagsFile' | 'watch' | 'useDataStream' | 'dataStream'>;

/** Creates a client for an edge runtime. Options are validated here: a bad one throws `FlagwireConfigError`. */
export function createEdgeFlagsClient(options: EdgeFlagsClientOptions): FlagsClient {
  // The mode is made in the constructor, so an option this runtime cannot honour fails here, not on a check.
  return new FlagsClient(resolveOptions(options), edgeParts);
}

export { snapshotFromEndpoint } from './snapshot-from-endpoint';
export type { SnapshotFromEndpointOptions } from './snapshot-from-endpoint';
export { FlagsClient } from '../core/client';
export { FlagsSnapshot } from '../core/snapshot';
export { htmlSafeJson } from '../core/html-safe-json';
export type { BrowserFlag, FlagEntitlement, SnapshotJSON } from '../core/payload';
export { defineFlags } from '../core/define-flags';
export { ApiError, FlagwireConfigError, FlagwireError, InvalidEntityError } from '../core/errors';
export { REASON_FLAG_DEFAULT, REASON_FLAG_NOT_FOUND, REASON_FROM_SNAPSHOT, REASON_OFFLINE } from '../core/reasons';
export type { FlagDeclarations } from '../flags-file/schema';
export type { CheckFlagOptions, CheckFlagResult, ClientStatus, EvaluationContext, FlagKey, Register, TrackBody, IdentifyBody } from '../core/types';
