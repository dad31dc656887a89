import { LiveFlagProvider } from 'flagwire/react/live';
import type { ReactNode } from 'react';
import { getFlags } from '../../lib/flags';

/**
 * The pages rendered per visitor: this request's flags, evaluated once on the server, handed to every client
 * component. Static pages (app/pricing) sit outside this group: getFlags() in a layout above a force-static
 * page would have no request to read, so flagwire fails that build rather than bake one company's flags
 * into the page every visitor gets.
 */
export default async function VisitorLayout({ children }: { children: ReactNode }) {
  const flags = await getFlags();
  return (
    <LiveFlagProvider snapshot={flags.toJSON()} endpoint="/api/flags">
      {children}
    </LiveFlagProvider>
  );
}
