import { getCachedFlags } from '../../lib/flags';

// Static: built once and served from Next's cache. Its flags come from the data cache under flagwire's
// tag (one context for every visitor, no cookies read), so the webhook route refreshes it when flags change.
// It sits outside app/(visitor): no layout above it calls getFlags(), which has no visitor to read here.
export const dynamic = 'force-static';

export default async function Pricing() {
  const flags = await getCachedFlags();
  return (
    <main>
      <h1>Pricing</h1>
      {flags.isEnabled('spring-sale') ? <p id="sale">Spring sale: 20% off</p> : <p id="no-sale">Regular prices</p>}
      <p id="rendered-at">{new Date().toISOString()}</p>
    </main>
  );
}
