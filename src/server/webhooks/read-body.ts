/** A Node request stream, as Express and Next's Pages Router hand it over. */
export interface ReadableRequest extends AsyncIterable<unknown> {
  readonly readableEnded?: boolean;
}

export type RawBody = { kind: 'body'; bytes: Uint8Array } | { kind: 'too_large'; bytes: Uint8Array } | { kind: 'gone' };

/**
 * Reads a request's raw body, stopping past `limit` bytes (the result then holds `limit + 1` bytes, enough
 * for the verifier to refuse it without buffering the rest). `gone` when a body parser already consumed it.
 */
export async function readRawBody(request: ReadableRequest, limit: number): Promise<RawBody> {
  if (request.readableEnded) return { kind: 'gone' };
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of request) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array);
    chunks.push(bytes);
    total += bytes.length;
    if (total > limit) return { kind: 'too_large', bytes: new Uint8Array(limit + 1) };
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { kind: 'body', bytes };
}

export const RAW_BODY_GONE_HINT =
  'the raw request body was consumed by a body parser before the webhook endpoint, so the signature cannot be checked';
