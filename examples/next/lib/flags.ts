import { createNextFlags } from 'flagwire/next';
import { client, context, FLAGS_SECRET } from './flags-client';
import { toolbarAccess } from './toolbar-access';

export const flags = createNextFlags({ client, context, overrides: { secret: FLAGS_SECRET }, toolbar: { access: toolbarAccess } });
export const { getFlags, getCachedFlags } = flags;
