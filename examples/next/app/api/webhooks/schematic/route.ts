import { createWebhookRoute } from 'flagwire/next';
import { client } from '../../../../lib/flags-client';

// Signed deliveries only: a verified one refreshes the client and expires pages cached under flagwire's tag.
// There is no built-in secret to fall back on (anyone who knew it could forge deliveries): without one the
// route is off.
const secret = process.env.FLAGWIRE_WEBHOOK_SECRET;
if (!secret) console.warn('Webhooks are off: set FLAGWIRE_WEBHOOK_SECRET to your Schematic endpoint’s signing secret to enable POST /api/webhooks/schematic.');

export const { POST } = secret
  ? createWebhookRoute({ secret, client })
  : { POST: () => Response.json({ error: 'webhooks are off: FLAGWIRE_WEBHOOK_SECRET is not set' }, { status: 404 }) };
