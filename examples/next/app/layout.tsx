import { LiveFlagProvider } from 'flagwire/react/live';
import type { ReactNode } from 'react';
import { getFlags } from '../lib/flags';

export const metadata = { title: 'flagwire × Next.js' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const flags = await getFlags();
  return (
    <html lang="en">
      <body>
        {/* This request's flags, evaluated once on the server, handed to every client component. */}
        <LiveFlagProvider snapshot={flags.toJSON()} endpoint="/api/flags">
          {children}
        </LiveFlagProvider>
      </body>
    </html>
  );
}
