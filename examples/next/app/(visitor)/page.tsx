import { cookies } from 'next/headers';
import { COMPANIES, companyFrom } from '../../lib/flags-client';
import { getFlags } from '../../lib/flags';
import { DashboardBadge } from '../dashboard-badge';
import { ExportButton } from '../export-button';
import { Headline } from '../headline';

/** A server component: reads this request's flags synchronously after the one lookup `getFlags()` made. */
export default async function Home() {
  const flags = await getFlags();
  const company = companyFrom((await cookies()).get('company')?.value);
  // The server's read of the experiment (a variation name), beside the client component's: the two agree.
  const headline = flags.variationDetail('headline', 'Feature flags for Express, Next.js and React').variation;
  return (
    <main>
      <Headline />
      <p id="server-headline">{`server variation: ${headline}`}</p>
      <h1 id="dashboard">{flags.isEnabled('new-dashboard') ? 'New dashboard' : 'Classic dashboard'}</h1>
      <p id="server-dashboard">{flags.isEnabled('new-dashboard') ? 'server: new dashboard' : 'server: classic dashboard'}</p>
      <DashboardBadge />
      {flags.isEnabled('beta-banner') ? <p id="beta">You are in the beta</p> : null}
      <ExportButton />
      <nav id="companies">
        {COMPANIES.map((c) => (
          <a key={c.domain} href={`/switch?company=${c.domain}`} aria-current={c.domain === company ? 'true' : undefined}>
            {c.name}
          </a>
        ))}
        <a href="/pricing">Pricing</a> <a href="/labs">Labs</a> <a href="/legacy">Legacy (Pages Router)</a>
      </nav>
    </main>
  );
}
