import { InvalidEntityError } from '../../core/errors';
import type { EventMeta } from '../../core/types';

/** The event types Schematic's capture service takes. */
export type EventType = 'identify' | 'track' | 'flag_check';

/**
 * An event waiting in the buffer. Its body is serialised when it is queued, so an event that cannot be sent
 * (a BigInt or a circular trait) is refused on the caller's path and never reaches the queue.
 */
export interface QueuedEvent {
  readonly type: EventType;
  /** The body as JSON, made once when the event was queued. */
  readonly bodyJson: string;
  /** Set when the event is queued, so a batch sent again carries the same keys and is never counted twice. */
  readonly idempotencyKey: string;
  readonly sentAtMs: number;
  readonly trustedClientClock?: boolean;
  readonly backfill?: boolean;
}

/** An event as Schematic's `POST /batch` carries it. */
export interface WireEvent {
  api_key: string;
  type: EventType;
  body: Readonly<Record<string, unknown>>;
  idempotency_key: string;
  sent_at: string;
  trusted_client_clock?: boolean;
  backfill?: boolean;
}

// A random per-process prefix and a counter: unique keys without a UUID per event on the caller's path.
// Made at the first event, not at import: a UUID loads the crypto module, which costs a cold start some 5 ms.
let keyPrefix: string | null = null;
let keyCounter = 0;

/** The largest magnitude a JS Date holds; past it `toISOString` throws. */
const MAX_DATE_MS = 8.64e15;

export function newIdempotencyKey(): string {
  keyPrefix ??= globalThis.crypto.randomUUID();
  return `${keyPrefix}-${(keyCounter++).toString(36)}`;
}

function isValidTime(ms: unknown): ms is number {
  return typeof ms === 'number' && Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS;
}

/** The body as JSON, or an `InvalidEntityError` saying why it cannot be sent. */
function bodyJson(type: EventType, body: Readonly<Record<string, unknown>>): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(body);
  } catch (error) {
    throw new InvalidEntityError(type === 'identify' ? 'user' : 'company', 'body', `${type} cannot be sent as JSON: ${(error as Error).message}`);
  }
  if (json === undefined || json[0] !== '{') throw new InvalidEntityError(type === 'identify' ? 'user' : 'company', 'body', `${type} needs an object body`);
  return json;
}

/** The time an event was sent: `meta.sentAt` when given (a valid Date), else now. */
function sentAtMs(meta: EventMeta | undefined, nowMs: number): number {
  const given = meta?.sentAt;
  if (given === undefined) {
    if (!isValidTime(nowMs)) throw new InvalidEntityError('options', 'sentAt', `the clock gave ${String(nowMs)}, not a time`);
    return nowMs;
  }
  const ms = given instanceof Date ? given.getTime() : Number.NaN;
  if (!isValidTime(ms)) throw new InvalidEntityError('options', 'sentAt', `expected a valid Date, got ${given instanceof Date ? 'Invalid Date' : typeof given}`);
  return ms;
}

/**
 * An event ready for the buffer. @throws InvalidEntityError when the body cannot be serialised or `sentAt`
 * is not a valid Date, so the caller hears of it instead of the queue.
 */
export function queuedEvent(type: EventType, body: Readonly<Record<string, unknown>>, meta: EventMeta | undefined, nowMs: number): QueuedEvent {
  const json = bodyJson(type, body);
  const time = sentAtMs(meta, nowMs);
  if (!meta) return { type, bodyJson: json, idempotencyKey: newIdempotencyKey(), sentAtMs: time };
  return {
    type,
    bodyJson: json,
    idempotencyKey: meta.idempotencyKey ?? newIdempotencyKey(),
    sentAtMs: time,
    ...(meta.trustedClientClock !== undefined ? { trustedClientClock: meta.trustedClientClock } : {}),
    ...(meta.backfill !== undefined ? { backfill: meta.backfill } : {}),
  };
}

/**
 * An event's size as the queue's byte budget counts it: its body's JSON and its idempotency key, a byte per
 * character. Both were made when it was queued, so this costs nothing; the envelope added at send time is not
 * held while the event waits.
 */
export function queuedEventBytes(event: QueuedEvent): number {
  return event.bodyJson.length + event.idempotencyKey.length;
}

/** One event of a `POST /batch` body, as JSON; the body is spliced in as it was serialised when queued. */
export function wireEventJson(apiKey: string, event: QueuedEvent): string {
  const envelope: Omit<WireEvent, 'body'> = {
    api_key: apiKey,
    type: event.type,
    idempotency_key: event.idempotencyKey,
    sent_at: new Date(event.sentAtMs).toISOString(),
    ...(event.trustedClientClock !== undefined ? { trusted_client_clock: event.trustedClientClock } : {}),
    ...(event.backfill !== undefined ? { backfill: event.backfill } : {}),
  };
  return `{"body":${event.bodyJson},${JSON.stringify(envelope).slice(1)}`;
}

/** A whole `POST /batch` body from events already formatted by `wireEventJson`. */
export function batchJson(events: readonly string[]): string {
  return `{"events":[${events.join(',')}]}`;
}
