/**
 * When to retry a Schematic API call and how long to wait first, as Schematic's SDKs do: 408, 429 and 5xx
 * are retried; the wait honours `Retry-After` (seconds or an HTTP date), then `X-RateLimit-Reset` (epoch
 * seconds, plus up to 20% jitter), else doubles from one second (±10% jitter); never more than a minute.
 * Pure: the clock and the randomness are arguments.
 */
export const MAX_RETRY_DELAY_MS = 60_000;
export const BASE_RETRY_DELAY_MS = 1_000;

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export interface RetryHeaders {
  get(name: string): string | null;
}

/**
 * @param attempt 0 for the first retry
 * @param random a number in [0, 1)
 */
export function retryDelayMs(attempt: number, headers: RetryHeaders | null, nowMs: number, random: number): number {
  const retryAfter = headers?.get('retry-after');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - nowMs;
    if (Number.isFinite(ms) && ms >= 0) return Math.min(ms, MAX_RETRY_DELAY_MS);
  }
  const reset = Number(headers?.get('x-ratelimit-reset'));
  if (headers?.get('x-ratelimit-reset') && Number.isFinite(reset)) {
    const ms = reset * 1000 - nowMs;
    if (ms > 0) return Math.min(ms * (1 + 0.2 * random), MAX_RETRY_DELAY_MS);
  }
  const exponential = Math.min(BASE_RETRY_DELAY_MS * 2 ** attempt, MAX_RETRY_DELAY_MS);
  return Math.min(exponential * (0.9 + 0.2 * random), MAX_RETRY_DELAY_MS);
}
