import { flags } from '../../../lib/flags';

// The provider's revalidation endpoint: this request's browser payload, never cached.
export const { GET } = flags.flagsEndpoint;
