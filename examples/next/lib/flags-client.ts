import { randomBytes } from 'node:crypto';
import { createFlagsClient, type EvaluationContext, type Exposure, type FlagsClient } from 'flagwire/server';
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

// FeatBit has no "send to the browser" marker: these are the flags the flags file marks `client`.
const CLIENT_FLAGS = ['new-dashboard', 'bulk-export', 'beta-banner', 'spring-sale', 'headline'];

/**
 * The embedded default: flags from a local file, evaluated in-process, no account, no API key. With
 * `FLAGWIRE_FEATBIT_URL` (and `FLAGWIRE_FEATBIT_SECRET`) set when the server starts, flags come from that
 * FeatBit server instead; read at run time, so one build serves either.
 */
function createExampleClient(): FlagsClient {
  const featbitUrl = process.env.FLAGWIRE_FEATBIT_URL?.trim();
  if (featbitUrl) {
    return createFlagsClient({
      featbit: { envSecret: process.env.FLAGWIRE_FEATBIT_SECRET ?? '', streamingUri: featbitUrl, eventsUri: featbitUrl },
      clientFlags: CLIENT_FLAGS,
      onExposures: logExposures,
    });
  }
  return createFlagsClient({ flagsFile: process.env.FLAGWIRE_FLAGS_FILE ?? 'flagwire.flags.json', onExposures: logExposures });
}

/** Exposures (a visitor saw a flag's value, once per page view): an app sends them to its analytics; the example logs them, one line each. */
function logExposures(exposures: readonly Exposure[]): void {
  for (const { flag, variation, value, pageView, source } of exposures) console.log(`exposure ${JSON.stringify({ flag, shown: variation ?? value, pageView, source })}`);
}

// One client per server process: App Router and Pages Router bundles (and dev reloads) share it.
const holder = globalThis as typeof globalThis & { flagwireClient?: FlagsClient };
export const client: FlagsClient = (holder.flagwireClient ??= createExampleClient());

/**
 * The key the overrides cookie (the toolbar's, Flags Explorer's) and precomputed codes are sealed with:
 * FLAGS_SECRET. Without one, a throwaway key per server process: overrides and codes then last until it restarts.
 * Set here, once, before anything reads it (the Flags SDK reads FLAGS_SECRET itself).
 */
export const FLAGS_SECRET_CONFIGURED = Boolean(process.env.FLAGS_SECRET);
export const FLAGS_SECRET: string = (process.env.FLAGS_SECRET ||= randomBytes(32).toString('base64url'));
