import { flags } from '../../../../lib/flags';

// Change notices over server-sent events: open pages hear that their flags changed (no custom server needed).
export const dynamic = 'force-dynamic';
export const { GET } = flags.liveEndpoint;
