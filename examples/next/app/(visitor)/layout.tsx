import { cookies } from 'next/headers';
import { LiveRefresh } from 'flagwire/next/live';
import { LiveFlagProvider } from 'flagwire/react/live';
import { FlagToolbar } from 'flagwire/react/toolbar';
import type { ReactNode } from 'react';
import { getFlags } from '../../lib/flags';
import { toolbarAccess } from '../../lib/toolbar-access';

/**
 * The pages rendered per visitor: this request's flags, evaluated once on the server, handed to every client
 * component. Static pages (app/pricing) sit outside this group: getFlags() in a layout above a force-static
 * page would have no request to read, so flagwire fails that build rather than bake one company's flags
 * into the page every visitor gets.
 */
export default async function VisitorLayout({ children }: { children: ReactNode }) {
  const flags = await getFlags();
  const cookieStore = await cookies();
  // The toolbar only for browsers its endpoint lets in (lib/toolbar-access.ts): others never load its code.
  const toolbar = toolbarAccess({ cookie: (name) => cookieStore.get(name)?.value, header: () => null });
  return (
    <>
      {/* `exposures`: the flags client components show are counted once per page view (app/api/flagwire/exposures). */}
      <LiveFlagProvider snapshot={flags.toJSON()} endpoint="/api/flags" exposures="/api/flagwire/exposures">
        {children}
      </LiveFlagProvider>
      {/* A change for this visitor renders the page's server components again (and their payload). */}
      <LiveRefresh events="/api/flagwire/live" />
      <FlagToolbar enabled={toolbar} endpoint="/api/flagwire/overrides" />
    </>
  );
}
