/** A Node request stream, as Express and Next's Pages Router hand it over. */
export interface ReadableRequest extends AsyncIterable<unknown> {
  readonly readableEnded?: boolean;
}

/** What reading a body gave: the bytes, too many bytes, no whole body before the deadline, or nothing left to read. */
export type RawBody = { kind: 'body'; bytes: Uint8Array } | { kind: 'too_large'; bytes: Uint8Array } | { kind: 'timeout' } | { kind: 'gone' };

/** How long a webhook body may take to arrive, from the first read; a client that stalls is answered 408. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

type Step = { done?: boolean; value?: unknown };

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/**
 * Pulls chunks until the end, past `limit` bytes, or the deadline; `stop` then tells the source no more is
 * wanted. A read still pending at the deadline is left to settle when the connection closes.
 */
async function collect(next: () => Promise<Step>, stop: () => void, limit: number, timeoutMs: number): Promise<RawBody> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    timer.unref?.();
  });
  try {
    for (;;) {
      const pending = next();
      const step = await Promise.race([pending, expired]);
      if (step === 'timeout') {
        pending.catch(() => {});
        stop();
        return { kind: 'timeout' };
      }
      if (step.done) return { kind: 'body', bytes: concat(chunks, total) };
      const bytes = typeof step.value === 'string' ? new TextEncoder().encode(step.value) : (step.value as Uint8Array);
      chunks.push(bytes);
      total += bytes.length;
      if (total > limit) {
        stop();
        return { kind: 'too_large', bytes: new Uint8Array(limit + 1) };
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reads a request's raw body, stopping past `limit` bytes (the result then holds `limit + 1` bytes, enough
 * for the verifier to refuse it without buffering the rest) or at `timeoutMs`. `gone` when a body parser
 * already consumed it. The stream is not destroyed when reading stops early, so the caller can still answer;
 * answer with `Connection: close` so the socket is closed after the answer.
 */
export async function readRawBody(request: ReadableRequest, limit: number, timeoutMs = DEFAULT_BODY_TIMEOUT_MS): Promise<RawBody> {
  if (request.readableEnded) return { kind: 'gone' };
  // Not `for await`: leaving that loop destroys the request, and with it the socket the answer goes out on.
  const iterator = request[Symbol.asyncIterator]();
  return collect(() => iterator.next(), () => {}, limit, timeoutMs);
}

/** Reads a Fetch body the same way, cancelling the stream once past `limit` bytes or at `timeoutMs`. */
export async function readFetchBody(body: ReadableStream<Uint8Array> | null, limit: number, timeoutMs = DEFAULT_BODY_TIMEOUT_MS): Promise<RawBody> {
  if (body === null) return { kind: 'body', bytes: new Uint8Array(0) };
  if (body.locked) return { kind: 'gone' };
  const reader = body.getReader();
  return collect(() => reader.read(), () => void reader.cancel().catch(() => {}), limit, timeoutMs);
}

export const RAW_BODY_GONE_HINT =
  'the raw request body was consumed by a body parser before the webhook endpoint, so the signature cannot be checked';

/** The answer for a body that could not be read whole: 400 past the limit, 408 past the deadline; `null` otherwise. */
export function bodyRefusal(read: RawBody, limit: number, timeoutMs: number): { status: number; body: Record<string, unknown> } | null {
  if (read.kind === 'too_large') return { status: 400, body: { error: `Webhook body is over the limit of ${limit} bytes`, code: 'too_large' } };
  if (read.kind === 'timeout') return { status: 408, body: { error: `Webhook body did not arrive within ${timeoutMs} ms`, code: 'body_timeout' } };
  return null;
}
