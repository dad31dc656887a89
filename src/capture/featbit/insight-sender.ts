import { ApiError } from '../../core/errors';
import { SDK_NAME, SDK_VERSION } from '../../api/api-requester';
import { retryDelayMs } from '../../api/retry-policy';
import { insightBatchBody } from './insight-json';

export const INSIGHT_TRACK_PATH = '/api/public/insight/track';

export interface InsightSenderOptions {
  envSecret: string;
  /** FeatBit's event base URL; the track path is appended. */
  eventsUrl: string;
  fetch: typeof globalThis.fetch;
  /** Per POST: a server that never answers must not hold the queue forever. */
  timeoutMs: number;
}

/** Delivers one batch of finished insight items (JSON texts); throws `ApiError` when it could not. */
export type InsightSender = (items: readonly string[], signal: AbortSignal) => Promise<void>;

/**
 * One POST per batch, as EventBuffer's `send` wants it. Failures become `ApiError`s whose `retryable` is
 * what EventBuffer decides by: no connection, no answer in time, 408/429/5xx are tried again; any other
 * status drops the batch. Retrying is EventBuffer's job, never this one's.
 */
export function createInsightSender({ envSecret, eventsUrl, fetch, timeoutMs }: InsightSenderOptions): InsightSender {
  const url = `${eventsUrl.replace(/\/+$/, '')}${INSIGHT_TRACK_PATH}`;
  const headers = { Authorization: envSecret, 'Content-Type': 'application/json', 'User-Agent': `${SDK_NAME}/${SDK_VERSION}` };
  const what = `POST ${INSIGHT_TRACK_PATH}`;

  return async function sendInsightBatch(items, signal) {
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers, body: insightBatchBody(items), signal: AbortSignal.any([timeout, signal]) });
    } catch (error) {
      if (signal.aborted) throw new ApiError('aborted', `${what} was abandoned`, { cause: error });
      if (timeout.aborted) throw new ApiError('timeout', `${what} got no answer within ${timeoutMs} ms`, { cause: error });
      throw new ApiError('network', `${what} failed: ${(error as Error).message}`, { cause: error });
    }
    // The status is FeatBit's verdict on the batch; what follows it is not, so a body that breaks off after a
    // 2xx must not get the batch sent twice.
    const body = await response.text().catch(() => '');
    if (response.ok) return;
    throw new ApiError('status', `${what} answered ${response.status}: ${body.slice(0, 200) || '(no body)'}`, {
      status: response.status,
      body,
      retryAfterMs: askedDelayMs(response.headers),
    });
  };
}

/** The wait the server asked for (`Retry-After`, `X-RateLimit-Reset`), without jitter; null when it did not ask. */
function askedDelayMs(headers: Headers): number | null {
  if (!headers.get('retry-after') && !headers.get('x-ratelimit-reset')) return null;
  return retryDelayMs(0, headers, Date.now(), 0);
}
