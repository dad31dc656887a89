import { flags } from '../../../../lib/flags';

/** Where pages report the flags they showed (`<FlagProvider exposures>`): counted once per page view. */
export const { POST } = flags.exposuresEndpoint;
