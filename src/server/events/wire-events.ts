import type { EventMeta } from '../types';

/** The event types Schematic's capture service takes. */
export type EventType = 'identify' | 'track' | 'flag_check';

/** An event waiting in the buffer: everything but the formatting, which happens when it is sent. */
export interface QueuedEvent {
  readonly type: EventType;
  readonly body: Readonly<Record<string, unknown>>;
  /** Set when the event is queued, so a batch sent again carries the same keys and is never counted twice. */
  readonly idempotencyKey: string;
  readonly sentAtMs: number;
  readonly trustedClientClock?: boolean;
  readonly backfill?: boolean;
}

/** An event as `POST /batch` carries it (PROTOCOL.md §2). */
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
const KEY_PREFIX = globalThis.crypto.randomUUID();
let keyCounter = 0;

export function newIdempotencyKey(): string {
  return `${KEY_PREFIX}-${(keyCounter++).toString(36)}`;
}

export function queuedEvent(type: EventType, body: Readonly<Record<string, unknown>>, meta: EventMeta | undefined, nowMs: number): QueuedEvent {
  if (!meta) return { type, body, idempotencyKey: newIdempotencyKey(), sentAtMs: nowMs };
  return {
    type,
    body,
    idempotencyKey: meta.idempotencyKey ?? newIdempotencyKey(),
    sentAtMs: meta.sentAt ? meta.sentAt.getTime() : nowMs,
    ...(meta.trustedClientClock !== undefined ? { trustedClientClock: meta.trustedClientClock } : {}),
    ...(meta.backfill !== undefined ? { backfill: meta.backfill } : {}),
  };
}

export function toWireEvent(apiKey: string, event: QueuedEvent): WireEvent {
  return {
    api_key: apiKey,
    type: event.type,
    body: event.body,
    idempotency_key: event.idempotencyKey,
    sent_at: new Date(event.sentAtMs).toISOString(),
    ...(event.trustedClientClock !== undefined ? { trusted_client_clock: event.trustedClientClock } : {}),
    ...(event.backfill !== undefined ? { backfill: event.backfill } : {}),
  };
}
