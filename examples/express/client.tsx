import { createRoot, hydrateRoot } from 'react-dom/client';
import type { SnapshotJSON } from 'flagwire/react';
import { LiveFlagProvider } from 'flagwire/react/live';
import { FlagToolbar } from 'flagwire/react/toolbar';
import { App } from './app';

declare global {
  interface Window {
    __FLAGWIRE__: { flags: SnapshotJSON; company: string; companies: { domain: string; name: string }[]; toolbar: boolean };
  }
}

const { flags, company, companies, toolbar } = window.__FLAGWIRE__;
hydrateRoot(
  document.getElementById('root') as HTMLElement,
  <LiveFlagProvider snapshot={flags} endpoint="/api/flags" live="/flagwire/live" exposures="/api/flagwire/exposures">
    <App company={company} companies={companies} />
  </LiveFlagProvider>,
);

// The toolbar renders in a root of its own, after hydration: the server never renders it, so it cannot mismatch.
if (toolbar) {
  const host = document.body.appendChild(document.createElement('div'));
  createRoot(host).render(<FlagToolbar enabled endpoint="/__flagwire/overrides" />);
}
