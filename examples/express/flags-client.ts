import { fileURLToPath } from 'node:url';
import { createFlagsClient, type FlagsClient, type FlagsClientOptions } from 'flagwire/server';

/** A FeatBit server to take the example's flags from: its evaluation server URL and the environment's server secret. */
export interface FeatBitSource {
  url: string;
  secret: string;
}

// FeatBit has no "send to the browser" marker: these are the flags the flags file marks `client`.
const CLIENT_FLAGS = ['new-dashboard', 'bulk-export', 'beta-banner', 'headline'];

/** `FLAGWIRE_FEATBIT_URL` (and `FLAGWIRE_FEATBIT_SECRET`) switch the example from its flags file to FeatBit. */
export function featBitSourceFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): FeatBitSource | null {
  const url = env.FLAGWIRE_FEATBIT_URL?.trim();
  return url ? { url, secret: env.FLAGWIRE_FEATBIT_SECRET ?? '' } : null;
}

/** The example's client: flags from FeatBit when a source is given, else from the local flags file (the embedded default). */
export function createExampleClient({
  flagsFile,
  featbit,
  onExposures,
}: {
  flagsFile?: string | undefined;
  featbit: FeatBitSource | null;
  onExposures?: FlagsClientOptions['onExposures'];
}): FlagsClient {
  if (featbit) {
    return createFlagsClient({ featbit: { envSecret: featbit.secret, streamingUri: featbit.url, eventsUri: featbit.url }, clientFlags: CLIENT_FLAGS, onExposures });
  }
  return createFlagsClient({ flagsFile: flagsFile ?? fileURLToPath(new URL('./flagwire.flags.json', import.meta.url)), onExposures });
}
