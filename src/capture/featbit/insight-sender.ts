import { ApiError } from '../../core/errors';
import { SDK_NAME, SDK_VERSION } from '../../api/api-requester';
import { type RetryHeaders, retryDelayMs } from '../../api/retry-policy';
import { type EventPost, isPostTimeout } from '../events/event-post';
import { insightBatchBody } from './insight-json';

export const INSIGHT_TRACK_PATH = '/api/public/insight/track';

export interface InsightSenderOptions {
  envSecret: string;
  /** FeatBit's event base URL; the track path is appended. */
  eventsUrl: string;
  /** How a batch is POSTed: through the app's fetch (fetchPost), or node:http (nodeHttpPost). */
  post: EventPost;
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
export function createInsightSender({ envSecret, eventsUrl, post, timeoutMs }: InsightSenderOptions): InsightSender {
  const url = `${eventsUrl.replace(/\/+$/, '')}${INSIGHT_TRACK_PATH}`;
  const headers = { Authorization: envSecret, 'Content-Type': 'application/json', 'User-Agent': `${SDK_NAME}/${SDK_VERSION}` };
  const what = `POST ${INSIGHT_TRACK_PATH}`;

  return async function sendInsightBatch(items, signal) {
    let answer;
    try {
      answer = await post(url, { headers, body: insightBatchBody(items), signal, timeoutMs });
    } catch (error) {
      if (signal.aborted) throw new ApiError('aborted', `${what} was abandoned`, { cause: error });
      if (isPostTimeout(error)) throw new ApiError('timeout', `${what} got no answer within ${timeoutMs} ms`, { cause: error });
      throw new ApiError('network', `${what} failed: ${(error as Error).message}`, { cause: error });
    }
    // The status is FeatBit's verdict on the batch: a 2xx is delivered, whatever follows it.
    if (answer.status >= 200 && answer.status < 300) return;
    throw new ApiError('status', `${what} answered ${answer.status}: ${answer.text.slice(0, 200) || '(no body)'}`, {
      status: answer.status,
      body: answer.text,
      retryAfterMs: askedDelayMs(answer.headers),
    });
  };
}

/** The wait the server asked for (`Retry-After`, `X-RateLimit-Reset`), without jitter; null when it did not ask. */
function askedDelayMs(headers: RetryHeaders): number | null {
  if (!headers.get('retry-after') && !headers.get('x-ratelimit-reset')) return null;
  return retryDelayMs(0, headers, Date.now(), 0);
}
