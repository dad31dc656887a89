import { flags } from '../../../../lib/flags';

// The flags toolbar's endpoint: lists this request's flags, and switches them for this browser (access: lib/toolbar-access.ts).
export const { GET, POST } = flags.toolbarEndpoint;
