import { generatePermutations } from 'flags/next';
import { notFound } from 'next/navigation';
import { FlagProvider } from 'flagwire/react';
import { Headline } from '../../headline';
import { FLAGS_SECRET_CONFIGURED } from '../../../lib/flags-client';
import { headlineFlag, landingFlags } from '../../../lib/flags-sdk';

/**
 * A static landing page that runs the headline experiment: proxy.ts decides the visitor's variation (sticky by
 * their visitor id) and rewrites /landing to /landing/<code>, a signed code of the values. Each code is one
 * static page, built at `next build` (every combination, when FLAGS_SECRET is set then) or on first request,
 * and served from the cache after: no flag is evaluated here per request.
 */
export async function generateStaticParams() {
  // Codes are signed: with a throwaway key (no FLAGS_SECRET) the server's would never match the build's.
  if (!FLAGS_SECRET_CONFIGURED) return [];
  return (await generatePermutations(landingFlags)).map((code) => ({ code }));
}

export default async function Landing({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  // Only codes this app signed (proxy.ts, or generateStaticParams) open the page; anything else is not one.
  const headline = await headlineFlag(code, landingFlags).catch(() => notFound());
  return (
    <main>
      {/* The same client component as the per-visitor pages: the browser reports the headline it shows (the static
          page has no request to count it on), under a page view of its own. */}
      <FlagProvider snapshot={{ v: 2, flags: { headline: { value: headline } } }} exposures="/api/flagwire/exposures">
        <Headline />
      </FlagProvider>
      <p id="rendered-at">{new Date().toISOString()}</p>
      <a href="/">Home</a>
    </main>
  );
}
