import { createFlagsDiscoveryEndpoint } from 'flags/next';
import { getProviderData } from 'flagwire/flags-sdk';
import { client } from '../../../../lib/flags-client';

// Vercel's Flags Explorer reads the flags here: only a request proving FLAGS_SECRET gets them (the SDK checks).
export const GET = createFlagsDiscoveryEndpoint(() => getProviderData(client));
