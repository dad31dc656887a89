import { hydrateRoot } from 'react-dom/client';
import { FlagProvider, type SnapshotJSON } from 'flagwire/react';
import { App } from './app';

declare global {
  interface Window {
    __FLAGWIRE__: { flags: SnapshotJSON; company: string; companies: { domain: string; name: string }[] };
  }
}

const { flags, company, companies } = window.__FLAGWIRE__;
hydrateRoot(
  document.getElementById('root') as HTMLElement,
  <FlagProvider snapshot={flags} endpoint="/api/flags" live="/flagwire/live">
    <App company={company} companies={companies} />
  </FlagProvider>,
);
