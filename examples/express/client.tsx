import { hydrateRoot } from 'react-dom/client';
import type { SnapshotJSON } from 'flagwire/react';
import { LiveFlagProvider } from 'flagwire/react/live';
import { App } from './app';

declare global {
  interface Window {
    __FLAGWIRE__: { flags: SnapshotJSON; company: string; companies: { domain: string; name: string }[] };
  }
}

const { flags, company, companies } = window.__FLAGWIRE__;
hydrateRoot(
  document.getElementById('root') as HTMLElement,
  <LiveFlagProvider snapshot={flags} endpoint="/api/flags" live="/flagwire/live">
    <App company={company} companies={companies} />
  </LiveFlagProvider>,
);
