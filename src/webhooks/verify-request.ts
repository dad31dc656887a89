import { readFetchBody } from './read-body';
import { DEFAULT_MAX_BODY_BYTES, SIGNATURE_HEADER, TIMESTAMP_HEADER, type VerifyOptions, verifySignature, WebhookSignatureError } from './signature';

/** A Node request (`IncomingMessage`, Express) or any object with headers and, perhaps, the raw body. */
interface NodeLikeRequest {
  headers: Record<string, string | string[] | undefined>;
  rawBody?: string | Uint8Array;
}

function nodeHeader(headers: NodeLikeRequest['headers'], name: string): string | null {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

/**
 * Verifies a framework request: a Fetch `Request` (its body is read here), or a Node/Express request with the
 * raw body given (or on `req.rawBody`). Named as in Schematic's SDK; async because it uses Web Crypto.
 * @throws WebhookSignatureError
 */
export async function verifyWebhookSignature(
  request: Request | NodeLikeRequest,
  secret: string | readonly string[],
  rawBody?: string | Uint8Array,
  options?: VerifyOptions,
): Promise<void> {
  if (typeof Request !== 'undefined' && request instanceof Request) {
    let body = rawBody;
    if (body === undefined) {
      const limit = options?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
      // A clone, so the caller can still read the body; read only up to the limit, never an unbounded stream.
      const read = await readFetchBody(request.clone().body, limit);
      if (read.kind === 'too_large') throw new WebhookSignatureError('too_large', `Webhook body is over the limit of ${limit} bytes`);
      if (read.kind !== 'body') throw new WebhookSignatureError('missing_body', 'Request body is not available: it was already read, or did not arrive in time');
      body = read.bytes;
    }
    return verifySignature(body, request.headers.get(SIGNATURE_HEADER), request.headers.get(TIMESTAMP_HEADER), secret, options);
  }
  const node = request as NodeLikeRequest;
  return verifySignature(rawBody ?? node.rawBody, nodeHeader(node.headers, SIGNATURE_HEADER), nodeHeader(node.headers, TIMESTAMP_HEADER), secret, options);
}
