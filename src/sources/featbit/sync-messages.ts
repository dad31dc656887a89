/**
 * FeatBit's data-sync frames (its server SDK spec): reading what the server sends — over the
 * WebSocket, or as a polling or bootstrap body, which carry the same envelope — and writing what the client sends.
 * Reading never throws: whatever cannot be used comes back as `ignored` with the reason, to be logged.
 */

import { readSyncMessage, type SyncFrame } from '../../evaluators/featbit/envelope';

export type { SyncFrame };

/** What a WebSocket message or an HTTP body arrives as. */
export type RawFrame = string | Buffer | ArrayBuffer | readonly Buffer[];

function text(frame: RawFrame): string {
  if (typeof frame === 'string') return frame;
  if (Array.isArray(frame)) return Buffer.concat(frame).toString('utf8');
  if (frame instanceof ArrayBuffer) return Buffer.from(frame).toString('utf8');
  return (frame as Buffer).toString('utf8');
}

/** Reads one server frame. Unknown message types are ignored; an unknown eventType commits nothing. */
export function readSyncFrame(frame: RawFrame): SyncFrame {
  let message: unknown;
  try {
    message = JSON.parse(text(frame));
  } catch (error) {
    return { kind: 'ignored', reason: `not JSON (${(error as Error).message})` };
  }
  return readSyncMessage(message);
}

/** The request sent on every open: everything newer than `timestamp` (0 for everything). */
export function dataSyncRequest(timestamp: number): string {
  return JSON.stringify({ messageType: 'data-sync', data: { timestamp } });
}

/** FeatBit's application-level keepalive. */
export const DATA_SYNC_PING = JSON.stringify({ messageType: 'ping', data: {} });
