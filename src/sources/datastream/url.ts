/**
 * The DataStream WebSocket URL for an API base URL: http→ws, https→wss, a first host label `api` becomes
 * `datastream`, and the path is `/datastream` — so https://api.schematichq.com becomes
 * wss://datastream.schematichq.com/datastream. A ws:// or wss:// URL is used as given.
 */
export function dataStreamUrl(base: string): string {
  const url = new URL(base);
  if (url.protocol === 'ws:' || url.protocol === 'wss:') return url.toString();
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const labels = url.hostname.split('.');
  if (labels[0] === 'api' && labels.length > 1) url.hostname = ['datastream', ...labels.slice(1)].join('.');
  url.pathname = '/datastream';
  url.search = '';
  return url.toString();
}
