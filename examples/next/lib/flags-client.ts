import { createFlagsClient, type EvaluationContext, type FlagsClient } from 'flagwire/server';
import type { NextFlagsContext } from 'flagwire/next/pages';
import { VISITOR_COOKIE, visitorFrom } from './visitor';

export const COMPANIES = [
  { domain: 'acme.test', name: 'Acme' },
  { domain: 'globex.test', name: 'Globex' },
  { domain: 'initech.test', name: 'Initech' },
];

/** The company comes from a cookie the switcher sets (a real app would read its session). */
export function companyFrom(cookie: string | undefined): string {
  return COMPANIES.some((c) => c.domain === cookie) ? (cookie as string) : 'acme.test';
}

/**
 * Who a request is for: one function for the App Router, proxy.ts and the Pages Router. The user is Ada
 * (found by email); `key`, the visitor id proxy.ts assigns, is the user key that percentage rollouts such as
 * the headline experiment are sticky by, so each browser keeps its variation.
 */
export const context: NextFlagsContext = (request): EvaluationContext => {
  const visitor = visitorFrom(request.cookie(VISITOR_COOKIE));
  return {
    company: { domain: companyFrom(request.cookie('company')) },
    user: visitor ? { key: visitor, email: 'ada@acme.test' } : { email: 'ada@acme.test' },
  };
};

// One client per server process: App Router and Pages Router bundles (and dev reloads) share it.
const holder = globalThis as typeof globalThis & { flagwireClient?: FlagsClient };
export const client: FlagsClient = (holder.flagwireClient ??= createFlagsClient({
  // The embedded default: flags from a local file, evaluated in-process. No account, no API key.
  flagsFile: process.env.FLAGWIRE_FLAGS_FILE ?? 'flagwire.flags.json',
}));
