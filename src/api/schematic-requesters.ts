import type { ResolvedOptions } from '../core/options';
import { ApiRequester } from './api-requester';

const EVENT_SEND_TIMEOUT_MS = 10_000;

/** Requests to Schematic's REST API (checks, upserts): the client's timeout and retries. */
export function schematicApi(options: ResolvedOptions): ApiRequester {
  return new ApiRequester({ ...shared(options), baseUrl: options.basePath, timeoutMs: options.timeoutMs, maxRetries: options.maxRetries });
}

/** Requests to Schematic's event capture: no retries of its own, as the event buffer retries whole batches. */
export function schematicCaptureApi(options: ResolvedOptions): ApiRequester {
  return new ApiRequester({ ...shared(options), baseUrl: options.eventCaptureBaseURL, timeoutMs: EVENT_SEND_TIMEOUT_MS, maxRetries: 0 });
}

function shared(options: ResolvedOptions) {
  return { apiKey: options.apiKey, fetch: options.fetch, headers: options.headers, now: options.now, random: Math.random };
}
