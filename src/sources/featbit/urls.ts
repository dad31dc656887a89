/** Where FeatBit's evaluation server takes data-sync connections and polls (FeatBit's server SDK spec). */

function withPath(base: string, path: string): URL {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  url.search = '';
  url.hash = '';
  return url;
}

/** The data-sync WebSocket URL for a streaming base (`ws(s)://` or `http(s)://`) and a connection token. */
export function featBitStreamingUrl(base: string, token: string): string {
  const url = withPath(base, '/streaming');
  if (url.protocol === 'http:') url.protocol = 'ws:';
  if (url.protocol === 'https:') url.protocol = 'wss:';
  url.search = new URLSearchParams({ type: 'server', token }).toString();
  return url.toString();
}

/** The polling URL for an http(s) base: everything newer than `timestamp` (0 for everything). */
export function featBitPollingUrl(base: string, timestamp: number): string {
  const url = withPath(base, '/api/public/sdk/server/latest-all');
  url.search = `timestamp=${timestamp}`;
  return url.toString();
}
