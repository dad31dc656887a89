import type { AppProps } from 'next/app';
import { LiveFlagProvider } from 'flagwire/react/live';
import type { FlagsProps } from 'flagwire/next/pages';

/** Pages Router: every page that uses `withFlags` passes its request's flags to the provider. */
export default function App({ Component, pageProps }: AppProps<Partial<FlagsProps>>) {
  return (
    <LiveFlagProvider snapshot={pageProps.flags} endpoint="/api/flags">
      <Component {...pageProps} />
    </LiveFlagProvider>
  );
}
