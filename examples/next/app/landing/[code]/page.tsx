import { generatePermutations } from 'flags/next';
import { headlineFlag, landingFlags } from '../../../lib/flags-sdk';

/**
 * A static landing page that runs the headline experiment: proxy.ts decides the visitor's variation (sticky by
 * their visitor id) and rewrites /landing to /landing/<code>, a signed code of the values. Each code is one
 * static page, built at `next build` (every combination, when FLAGS_SECRET is set then) or on first request,
 * and served from the cache after: no flag is evaluated here per request.
 */
export async function generateStaticParams() {
  if (!process.env.FLAGS_SECRET) return [];
  return (await generatePermutations(landingFlags)).map((code) => ({ code }));
}

export default async function Landing({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const headline = await headlineFlag(code, landingFlags);
  return (
    <main>
      <h2 id="headline">{headline}</h2>
      <p id="rendered-at">{new Date().toISOString()}</p>
      <a href="/">Home</a>
    </main>
  );
}
