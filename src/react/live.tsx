import { useEffect } from 'react';
import useSWR from 'swr';
import type { SnapshotJSON } from 'flagwire/server';
import { type FlagStore, isSnapshot } from './store';

interface LiveUpdaterProps {
  store: FlagStore;
  endpoint?: string | undefined;
  live?: string | undefined;
}

async function fetchSnapshot(url: string): Promise<SnapshotJSON> {
  const response = await fetch(url, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`[flagwire] ${url} answered ${response.status}`);
  const body: unknown = await response.json();
  if (!isSnapshot(body)) throw new Error(`[flagwire] ${url} did not answer with snapshot.toJSON()`);
  return body;
}

function liveUrl(live: string): string {
  if (/^wss?:\/\//.test(live)) return live;
  const url = new URL(live, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * A WebSocket to the app's live channel that survives: reconnects with backoff (0.5 s doubling to 30 s, plus
 * jitter), and sleeps while the page is hidden or the browser offline (a notice missed then is made up by
 * revalidating when it wakes).
 */
function openLiveChannel(url: string, onNotice: () => void): () => void {
  let socket: WebSocket | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let stopped = false;
  const awake = () => document.visibilityState !== 'hidden' && navigator.onLine !== false;
  const connect = () => {
    if (stopped || socket || !awake()) return;
    const current = new WebSocket(url);
    socket = current;
    current.onopen = () => {
      failures = 0;
    };
    current.onmessage = () => onNotice();
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      if (stopped) return;
      const delay = Math.min(500 * 2 ** failures++, 30_000) * (1 + Math.random() / 2);
      timer = setTimeout(connect, delay);
    };
  };
  const sleep = () => {
    clearTimeout(timer);
    const current = socket;
    socket = null;
    current?.close();
  };
  const wake = () => {
    if (!awake() || socket) return;
    failures = 0;
    connect();
    onNotice();
  };
  const onVisibility = () => (awake() ? wake() : sleep());
  document.addEventListener('visibilitychange', onVisibility);
  window.addEventListener('online', wake);
  window.addEventListener('offline', sleep);
  connect();
  return () => {
    stopped = true;
    document.removeEventListener('visibilitychange', onVisibility);
    window.removeEventListener('online', wake);
    window.removeEventListener('offline', sleep);
    sleep();
  };
}

/** @internal Keeps the store current: SWR revalidation of the flags endpoint, driven also by live notices. */
export default function LiveUpdater({ store, endpoint, live }: LiveUpdaterProps) {
  const { data, mutate } = useSWR(endpoint ?? null, fetchSnapshot, {
    fallbackData: store.get(),
    revalidateOnMount: false,
    revalidateIfStale: false,
    revalidateOnFocus: true,
    revalidateOnReconnect: true,
  });
  useEffect(() => {
    if (data) store.set(data);
  }, [data, store]);
  useEffect(() => {
    if (!live || !endpoint) return;
    return openLiveChannel(liveUrl(live), () => void mutate());
  }, [live, endpoint, mutate]);
  return null;
}
