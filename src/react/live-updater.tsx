import { useEffect, useRef, useState } from 'react';
import type { SnapshotJSON } from 'flagwire/server';
import useSWR, { SWRConfig } from 'swr';
import { fetchSnapshot, liveUrl, openLiveChannel } from '../browser/live-channel';

interface LiveUpdaterProps {
  /** What the provider shows now: SWR's fallback, so mounting asks for nothing. */
  current: SnapshotJSON;
  endpoint: string;
  live?: string | undefined;
  events?: string | undefined;
  /** Each answer of the endpoint that differs from what SWR held before. */
  onSnapshot: (next: SnapshotJSON) => void;
}

function Revalidation({ current, endpoint, live, events, onSnapshot }: LiveUpdaterProps) {
  const { data, mutate } = useSWR(endpoint, fetchSnapshot, {
    fallbackData: current,
    revalidateOnMount: false,
    revalidateIfStale: false,
    revalidateOnFocus: true,
    revalidateOnReconnect: true,
  });
  const report = useRef(onSnapshot);
  report.current = onSnapshot;
  const first = useRef(data);
  // Only answers SWR gets after mounting are news: reporting on every render would put what SWR holds back
  // over a newer server snapshot.
  useEffect(() => {
    if (data !== first.current) report.current(data);
  }, [data]);
  useEffect(() => {
    if (!live) return;
    return openLiveChannel(liveUrl(live), () => mutate());
  }, [live, mutate]);
  useEffect(() => {
    if (!events) return;
    return openLiveChannel(new URL(events, window.location.href).toString(), () => mutate(), 'sse');
  }, [events, mutate]);
  return null;
}

/**
 * @internal Keeps a provider current: SWR revalidation of the flags endpoint, driven also by live notices.
 * Its own SWR cache, so an answer cached by an earlier mount (or another provider) never replaces the
 * server's snapshot when this one mounts.
 */
export function LiveUpdater(props: LiveUpdaterProps) {
  const [cache] = useState(() => new Map());
  return (
    <SWRConfig value={{ provider: () => cache }}>
      <Revalidation {...props} />
    </SWRConfig>
  );
}
