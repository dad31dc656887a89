import type { ReactNode } from 'react';
// The client provider stays a separate module (flagwire/react, marked 'use client'), so Next renders it as
// a client component and sends the browser only the values.
import { FlagProvider as ClientFlagProvider } from 'flagwire/react';
import type { FlagsSnapshot } from '../server';

export interface ServerFlagProviderProps {
  /** The app's flags endpoint, for revalidation on focus, reconnect and live notices. */
  endpoint?: string;
  /** The app's live channel (a ws:// URL or a path on this origin). */
  live?: string;
  /** Only these flags go to the browser (default: the flags marked `client`). */
  keys?: readonly string[];
  children?: ReactNode;
}

/**
 * A server component that evaluates this request's flags (once, shared with every other server component
 * of the request) and renders the client `FlagProvider` with them: no request from the browser, no flicker.
 */
export function serverFlagProvider(getFlags: () => Promise<FlagsSnapshot>) {
  return async function FlagProvider({ endpoint, live, keys, children }: ServerFlagProviderProps) {
    const flags = await getFlags();
    return (
      <ClientFlagProvider snapshot={flags.toJSON(keys)} endpoint={endpoint} live={live}>
        {children}
      </ClientFlagProvider>
    );
  };
}
