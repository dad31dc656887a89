import { createFlagsClient, type FlagsClient } from 'flagwire/server';
import type { NextFlagsContext } from 'flagwire/next/pages';

export const COMPANIES = [
  { domain: 'acme.test', name: 'Acme' },
  { domain: 'globex.test', name: 'Globex' },
  { domain: 'initech.test', name: 'Initech' },
];

/** The company comes from a cookie the switcher sets (a real app would read its session). */
export function companyFrom(cookie: string | undefined): string {
  return COMPANIES.some((c) => c.domain === cookie) ? (cookie as string) : 'acme.test';
}

/** Who a request is for: one function for the App Router, proxy.ts and the Pages Router. */
export const context: NextFlagsContext = (request) => ({
  company: { domain: companyFrom(request.cookie('company')) },
  user: { email: 'ada@acme.test' },
});

// One client per server process: App Router and Pages Router bundles (and dev reloads) share it.
const holder = globalThis as typeof globalThis & { flagwireClient?: FlagsClient };
export const client: FlagsClient = (holder.flagwireClient ??= createFlagsClient({
  // The embedded default: flags from a local file, evaluated in-process. No account, no API key.
  flagsFile: process.env.FLAGWIRE_FLAGS_FILE ?? 'flagwire.flags.json',
}));
