/**
 * FeatBit's data envelope: how its server sends flags and segments (a data-sync frame, a polling answer) and how
 * its SDKs bootstrap from them (the same envelope in a file). Reading never throws: whatever cannot be used
 * comes back as `ignored` with the reason, to be logged.
 */

export type SyncFrame =
  | { kind: 'data-sync'; eventType: 'full' | 'patch'; flags: unknown[]; segments: unknown[] }
  | { kind: 'ignored'; reason: string };

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

/** Reads a parsed envelope (a frame, a polling answer, a bootstrap object). Unknown message types are ignored; an unknown eventType commits nothing. */
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
