import { useRouter } from 'next/navigation.js';
import { useEffect } from 'react';
import { openLiveChannel } from '../browser/live-channel';

export interface LiveRefreshProps {
  /** The live endpoint (`flags.liveEndpoint`'s route, e.g. `/api/flagwire/live`). */
  events: string;
}

/**
 * Keeps an open page current on any Next deployment: when the live endpoint says this visitor's flags changed
 * (a flags change, or their own company or user), the page's server components render again
 * (`router.refresh()`), and with them the payload client components read. The endpoint filters by company and
 * user, so a change to one company refreshes only its visitors' pages. Renders nothing.
 */
export function LiveRefresh({ events }: LiveRefreshProps) {
  const router = useRouter();
  useEffect(() => openLiveChannel(new URL(events, window.location.href).toString(), () => router.refresh(), 'sse'), [events, router]);
  return null;
}
