import { createWebhookRoute } from 'flagwire/next';
import { client } from '../../../../lib/flags-client';

// Signed deliveries only: a verified one refreshes the client and expires pages cached under flagwire's tag.
export const { POST } = createWebhookRoute({ secret: process.env.FLAGWIRE_WEBHOOK_SECRET ?? 'whsec_example', client });
