import type { ReactNode } from 'react';

export const metadata = { title: 'flagwire × Next.js' };

/** The document shell, shared by per-visitor pages and static ones alike: so it reads no flags. */
export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
