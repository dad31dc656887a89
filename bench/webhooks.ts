import { createHmac, timingSafeEqual } from 'node:crypto';
import { createWebhookHandler, verifySignature } from '../src/server/index';
import { formatNs, measure } from './measure';

/**
 * Webhook verification per request, on a 1 KB body: flagwire's Web Crypto verifier (edge-safe, with the
 * timestamp check), and the whole handler with replay protection; baseline is the synchronous Node crypto
 * check Schematic's SDK does (HMAC + timingSafeEqual).
 */
export async function webhooksBench(): Promise<string> {
  const secret = 'whsec_bench';
  const raw = JSON.stringify({ action: 'company.updated', body: { id: 'comp_1', pad: 'x'.repeat(950) } });
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', secret).update(`${raw}+${ts}`).digest('hex');
  const handle = createWebhookHandler({ secret, replayGuard: null });
  const headers: Record<string, string> = { 'X-Schematic-Webhook-Signature': signature, 'X-Schematic-Webhook-Timestamp': ts };
  const results = await measure([
    { name: 'verifySignature (Web Crypto, with timestamp tolerance)', async: true, run: () => verifySignature(raw, signature, ts, secret) },
    { name: 'whole handler: verify, parse event, callbacks (no replay guard)', async: true, run: () => handle({ rawBody: raw, header: (n) => headers[n] ?? null }) },
    {
      name: 'baseline: Node crypto HMAC + timingSafeEqual (Schematic SDK style)',
      run: () => timingSafeEqual(createHmac('sha256', secret).update(`${raw}+${ts}`).digest(), Buffer.from(signature, 'hex')),
    },
  ], { rounds: 20 });
  const baseline = results[2]!.nsPerOp;
  return [
    '## Webhooks: verification per request (1 KB body)',
    '',
    '| path | per request | p10 – p90 | vs baseline |',
    '|---|---|---|---|',
    ...results.map((r) => `| ${r.name} | ${formatNs(r.nsPerOp)} | ${formatNs(r.p10)} – ${formatNs(r.p90)} | ${(r.nsPerOp / baseline).toFixed(2)}× |`),
  ].join('\n');
}
