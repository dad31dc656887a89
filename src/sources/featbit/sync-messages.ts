/**
 * FeatBit's data-sync frames (its server SDK spec): reading what the server sends — over the
 * WebSocket, or as a polling or bootstrap body, which carry the same envelope — and writing what the client sends.
 * Reading never throws: whatever cannot be used comes back as `ignored` with the reason, to be logged.
 */

export type SyncFrame =
  | { kind: 'data-sync'; eventType: 'full' | 'patch'; flags: unknown[]; segments: unknown[] }
  | { kind: 'ignored'; reason: string };

/** What a WebSocket message or an HTTP body arrives as. */
export type RawFrame = string | Buffer | ArrayBuffer | readonly Buffer[];

function text(frame: RawFrame): string {
  if (typeof frame === 'string') return frame;
  if (Array.isArray(frame)) return Buffer.concat(frame).toString('utf8');
  if (frame instanceof ArrayBuffer) return Buffer.from(frame).toString('utf8');
  return (frame as Buffer).toString('utf8');
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const ignored = (reason: string): SyncFrame => ({ kind: 'ignored', reason });

/** Own properties only: a JSON `__proto__` key is an own property, and anything inherited is not the server's. */
function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

function list(data: Record<string, unknown>, field: string): unknown[] | string {
  const value = own(data, field);
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : `${field} is not a list`;
}

/** Reads one server frame. Unknown message types are ignored; an unknown eventType commits nothing. */
export function readSyncFrame(frame: RawFrame): SyncFrame {
  let message: unknown;
  try {
    message = JSON.parse(text(frame));
  } catch (error) {
    return ignored(`not JSON (${(error as Error).message})`);
  }
  return readSyncMessage(message);
}

/** Reads an already parsed server message (a bootstrap object, say) the same way. */
export function readSyncMessage(message: unknown): SyncFrame {
  if (!isObject(message)) return ignored('not a JSON object');
  const messageType = own(message, 'messageType');
  if (typeof messageType !== 'string') return ignored('no messageType');
  if (messageType !== 'data-sync') return ignored(messageType === 'pong' ? 'pong' : `messageType ${JSON.stringify(messageType)} is not handled`);
  const data = own(message, 'data');
  if (!isObject(data)) return ignored('a data-sync frame with no data object');
  const eventType = own(data, 'eventType');
  if (eventType !== 'full' && eventType !== 'patch') return ignored(`eventType ${JSON.stringify(eventType) ?? 'undefined'} is not full or patch`);
  const flags = list(data, 'featureFlags');
  if (typeof flags === 'string') return ignored(flags);
  const segments = list(data, 'segments');
  if (typeof segments === 'string') return ignored(segments);
  return { kind: 'data-sync', eventType, flags, segments };
}

/** The request sent on every open: everything newer than `timestamp` (0 for everything). */
export function dataSyncRequest(timestamp: number): string {
  return JSON.stringify({ messageType: 'data-sync', data: { timestamp } });
}

/** FeatBit's application-level keepalive. */
export const DATA_SYNC_PING = JSON.stringify({ messageType: 'ping', data: {} });
