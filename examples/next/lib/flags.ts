import { createNextFlags } from 'flagwire/next';
import { client, context } from './flags-client';

export const flags = createNextFlags({ client, context });
export const { getFlags, getCachedFlags } = flags;
