import type { RetryHeaders } from '../../api/retry-policy';

/** One event POST: where it goes and what it carries, its caller's signal and its own deadline. */
export interface PostRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array<ArrayBuffer>;
  /** The caller's: aborting it abandons the POST. */
  readonly signal: AbortSignal;
  /** How long the POST may take in all; past it, it fails with a `TimeoutError`. */
  readonly timeoutMs: number;
}

/** What an event sender reads of the answer: the status, a header or two and, for a refusal, the text. */
export interface PostAnswer {
  readonly status: number;
  readonly headers: RetryHeaders;
  /** The answer's text when the status is not 2xx (it says why); `''` for a 2xx, whose body nothing reads. */
  readonly text: string;
}

/** An event POST: rejects when no answer came (no connection, the signal, the deadline), never for a status. */
export type EventPost = (url: string, request: PostRequest) => Promise<PostAnswer>;

/** Whether a POST failed for its deadline (a `TimeoutError`, as `AbortSignal.timeout` names it too). */
export function isPostTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'TimeoutError';
}

/** The deadline's error, named as `AbortSignal.timeout`'s reason is. */
export function postTimeoutError(timeoutMs: number): Error {
  const error = new Error(`no answer within ${timeoutMs} ms`);
  error.name = 'TimeoutError';
  return error;
}

/** Event POSTs through a fetch: the app's own (the `fetch` option) or the platform's. */
export function fetchPost(fetch: typeof globalThis.fetch): EventPost {
  return async (url, { headers, body, signal, timeoutMs }) => {
    // Node holds a timeout signal weakly, and AbortSignal.any holds its sources weakly too: this one is kept
    // here, alive across the await, or it could be collected unfired and the POST wait past its deadline.
    const deadline = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.any([deadline, signal]) });
    } finally {
      keepAlive(deadline);
    }
    // The status is the server's verdict; a body that breaks off after it changes nothing, so it is read, never thrown.
    const text = await response.text().catch(() => '');
    return { status: response.status, headers: response.headers, text: response.ok ? '' : text };
  };
}

/** Does nothing with `value`: called after an await, it keeps `value` reachable until then. */
function keepAlive(value: unknown): void {
  void value;
}
