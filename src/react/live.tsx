import { useEffect } from 'react';
import useSWR from 'swr';
import { fetchSnapshot, liveUrl, openLiveChannel } from './live-channel';
import type { FlagStore } from './store';

interface LiveUpdaterProps {
  store: FlagStore;
  endpoint?: string | undefined;
  live?: string | undefined;
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
    return openLiveChannel(liveUrl(live), () => mutate());
  }, [live, endpoint, mutate]);
  return null;
}
