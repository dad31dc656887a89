import { flag } from 'flags/next';
import { createFlagwireAdapter } from 'flagwire/flags-sdk';
import { client, context } from './flags-client';

/**
 * The same flags declared with Vercel's Flags SDK, served by flagwire's client through its adapter: what a team
 * already on the Flags SDK writes. The static landing page reads them precomputed (see proxy.ts).
 */
const flagwire = createFlagwireAdapter(client, { context });

export const headlineFlag = flag({
  key: 'headline',
  adapter: flagwire('headline'),
  description: "The home page's headline experiment",
  defaultValue: 'Feature flags for Express, Next.js and React',
  options: [
    { label: 'control', value: 'Feature flags for Express, Next.js and React' },
    { label: 'bold', value: 'Ship it dark. Switch it on. Never flicker.' },
    { label: 'question', value: 'What if every release were just a switch?' },
  ],
});

/** The flags the landing page is precomputed for: one static page per combination of their values. */
export const landingFlags = [headlineFlag] as const;
