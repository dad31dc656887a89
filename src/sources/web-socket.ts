import type WebSocket from 'ws';

let loading: Promise<typeof WebSocket> | null = null;

/**
 * `ws`, loaded when a source first connects: an app on the flags file or Schematic's API never loads it (it costs
 * ~50 ms of a process's start). Resolves to the same class every time.
 */
export function loadWebSocket(): Promise<typeof WebSocket> {
  return (loading ??= import('ws').then((module) => module.default));
}
