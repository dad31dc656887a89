import { FlagwireError } from '../core/errors';
import { parseTimestamp } from './timestamp';
import { checkPositiveInteger, checkSecrets, checkTolerance } from './webhook-config';

/**
 * Schematic webhook signatures: lowercase hex HMAC-SHA256, keyed with the secret, of the
 * raw body, a literal "+", and the timestamp header as sent. Web Crypto only, so it runs on Node and on edge
 * runtimes alike. Beyond Schematic's SDKs: a timestamp tolerance (replays of old deliveries fail), several
 * secrets at once (rotation), a body size limit, and replay protection.
 */
export const SIGNATURE_HEADER = 'X-Schematic-Webhook-Signature';
export const TIMESTAMP_HEADER = 'X-Schematic-Webhook-Timestamp';
export const DEFAULT_TOLERANCE_SECONDS = 300;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export type WebhookSignatureErrorCode =
  | 'missing_signature'
  | 'missing_timestamp'
  | 'missing_body'
  | 'invalid_format'
  | 'mismatch'
  | 'stale'
  | 'replayed'
  | 'too_large';

/** Why a delivery was refused. The handler answers 400 and never runs a callback. */
export class WebhookSignatureError extends FlagwireError {
  readonly reason: WebhookSignatureErrorCode;

  constructor(reason: WebhookSignatureErrorCode, message: string) {
    super('invalid_webhook', message);
    this.name = 'WebhookSignatureError';
    this.reason = reason;
  }
}

/**
 * Remembers deliveries already accepted, for as long as their timestamp could pass verification again. A
 * delivery is claimed before it is handled and released when handling fails, so the sender's retry is
 * processed; `claim` must be atomic (of two concurrent claims of one id, one wins), so it runs once.
 */
export interface ReplayGuard {
  /** Claims a delivery until `untilMs` (ms since the epoch); false when it is already claimed: a replay, or the same delivery in flight. */
  claim(id: string, untilMs: number): Promise<boolean>;
  /** Gives a claim back, so the sender's retry of a delivery whose handling failed is not refused as a replay. */
  release(id: string): Promise<void>;
}

export interface VerifyOptions {
  /**
   * Seconds a delivery's timestamp (unix seconds, unix milliseconds or RFC 3339) may differ from now; `0` or
   * `false` turns the check off (Schematic's behaviour). @default 300
   */
  toleranceSeconds?: number | false;
  /** The largest body accepted, in bytes. @default 1 MiB */
  maxBodyBytes?: number;
  /** Claims each accepted delivery, so a repeat while its timestamp is within the tolerance is refused. @default none */
  replayGuard?: ReplayGuard | null;
  /** The clock, in ms. @default Date.now */
  now?: () => number;
}

/** An authentic, fresh delivery: its identity for the replay guard, and until when a replay of it could pass. */
export interface VerifiedDelivery {
  readonly id: string;
  readonly rememberUntilMs: number;
}

/** Verification settings once checked: `toleranceSeconds` is `0` when the check is off. */
export interface VerifySettings {
  readonly secrets: readonly string[];
  readonly toleranceSeconds: number;
  readonly maxBodyBytes: number;
  readonly now: () => number;
}

const encoder = new TextEncoder();
const keyCache = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keyCache.set(secret, key);
  }
  return key;
}

function toHex(bytes: ArrayBuffer): string {
  let hex = '';
  for (const byte of new Uint8Array(bytes)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

function bodyBytes(body: string | Uint8Array): Uint8Array {
  return typeof body === 'string' ? encoder.encode(body) : body;
}

/** The hex signature Schematic sends for a body and timestamp. */
export async function computeSignature(rawBody: string | Uint8Array, timestamp: string, secret: string): Promise<string> {
  const body = bodyBytes(rawBody);
  const suffix = encoder.encode(`+${timestamp}`);
  const message = new Uint8Array(body.length + suffix.length);
  message.set(body, 0);
  message.set(suffix, body.length);
  return toHex(await crypto.subtle.sign('HMAC', await hmacKey(secret), message));
}

/** Equal strings of equal length, compared in time independent of where they differ. */
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

const HEX_SIGNATURE = /^[0-9a-fA-F]{64}$/;

/** The settings `verifySignature` runs with; a config error for an unusable secret, tolerance or limit. */
export function verifySettings(secret: unknown, options: VerifyOptions): VerifySettings {
  return {
    secrets: checkSecrets(secret),
    toleranceSeconds: checkTolerance(options.toleranceSeconds, DEFAULT_TOLERANCE_SECONDS),
    maxBodyBytes: checkPositiveInteger('maxBodyBytes', options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES),
    now: options.now ?? Date.now,
  };
}

/**
 * Checks that a delivery is authentic and fresh, without claiming it: the handler claims it after reading
 * the event, so it can release the claim when handling fails. Rejects with `WebhookSignatureError`.
 */
export async function authenticateDelivery(
  rawBody: string | Uint8Array | null | undefined,
  signature: string | null | undefined,
  timestamp: string | null | undefined,
  settings: VerifySettings,
): Promise<VerifiedDelivery> {
  if (!signature) throw new WebhookSignatureError('missing_signature', 'Missing webhook signature header');
  if (!timestamp) throw new WebhookSignatureError('missing_timestamp', 'Missing webhook timestamp header');
  if (rawBody === null || rawBody === undefined) {
    throw new WebhookSignatureError('missing_body', 'Request body is not available: verification needs the raw body exactly as sent');
  }
  const body = bodyBytes(rawBody);
  const maxBytes = settings.maxBodyBytes;
  if (body.length > maxBytes) throw new WebhookSignatureError('too_large', `Webhook body is ${body.length} bytes; the limit is ${maxBytes}`);
  const candidates = signature.split(/[\s,]+/).filter(Boolean);
  if (candidates.length === 0 || !candidates.every((c) => HEX_SIGNATURE.test(c))) {
    throw new WebhookSignatureError('invalid_format', 'Invalid signature format: expected hex-encoded HMAC-SHA256');
  }
  const tolerance = settings.toleranceSeconds;
  const now = settings.now();
  // Without a tolerance a delivery never goes stale, so it is remembered for the default window from now.
  let rememberUntilMs = now + DEFAULT_TOLERANCE_SECONDS * 1000;
  if (tolerance) {
    const sentAt = parseTimestamp(timestamp);
    if (sentAt === null) throw new WebhookSignatureError('invalid_format', 'Invalid webhook timestamp: expected unix seconds, unix milliseconds or RFC 3339');
    const skew = Math.abs(now - sentAt) / 1000;
    if (skew > tolerance) throw new WebhookSignatureError('stale', `Webhook timestamp is ${Math.round(skew)} s away from now; the tolerance is ${tolerance} s`);
    // A replay passes verification until the timestamp leaves the window, however late it was first accepted.
    rememberUntilMs = sentAt + tolerance * 1000;
  }
  let matched: string | null = null;
  for (const s of settings.secrets) {
    // The signature covers the header text exactly as sent, whichever form the timestamp takes.
    const expected = await computeSignature(body, timestamp, s);
    for (const candidate of candidates) if (constantTimeEqual(candidate.toLowerCase(), expected)) matched = expected;
  }
  if (matched === null) throw new WebhookSignatureError('mismatch', 'Invalid webhook signature');
  // A delivery is its signature: the same body at the same timestamp, signed with the same secret.
  return { id: matched, rememberUntilMs };
}

/**
 * Verifies one delivery. Resolves when it is authentic, fresh and new; rejects with `WebhookSignatureError`
 * otherwise (and `FlagwireConfigError` for an unusable secret or tolerance). `secret` may be a list
 * (rotation): any one of them may have signed it. The signature header may carry several signatures,
 * separated by commas or spaces. With a `replayGuard`, an accepted delivery stays claimed.
 */
export async function verifySignature(
  rawBody: string | Uint8Array | null | undefined,
  signature: string | null | undefined,
  timestamp: string | null | undefined,
  secret: string | readonly string[],
  options: VerifyOptions = {},
): Promise<void> {
  const delivery = await authenticateDelivery(rawBody, signature, timestamp, verifySettings(secret, options));
  if (options.replayGuard && !(await options.replayGuard.claim(delivery.id, delivery.rememberUntilMs))) {
    throw new WebhookSignatureError('replayed', 'Webhook delivery was already accepted once (replay)');
  }
}
