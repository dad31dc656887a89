import { describe, expect, it } from 'vitest';
import { MemoryReplayGuard, verifySignature, verifyWebhookSignature, WebhookSignatureError } from '../../src/server/index';
import { computeSignature } from '../../src/webhooks';
import { SECRET, sign } from '../support/webhooks';

const body = '{"action":"company.updated","body":{"id":"comp_1"}}';
const now = 1_790_000_000_000;
const ts = String(now / 1000);
const at = { now: () => now };

async function reason(run: Promise<void>): Promise<string> {
  try {
    await run;
    return 'accepted';
  } catch (error) {
    if (error instanceof WebhookSignatureError) return error.reason;
    throw error;
  }
}

describe('webhook signatures', () => {
  it('computes hex HMAC-SHA256 of body + "+" + timestamp, as an independent Node crypto computation does', async () => {
    expect(await computeSignature(body, ts, SECRET)).toBe(sign(body, ts, SECRET));
    expect(await computeSignature('', '0', 'k')).toBe(sign('', '0', 'k'));
    expect(await computeSignature('ünïcødé ✓', ts, 'sëcret')).toBe(sign('ünïcødé ✓', ts, 'sëcret'));
  });

  it('accepts a valid delivery, in either hex case', async () => {
    expect(await reason(verifySignature(body, sign(body, ts, SECRET), ts, SECRET, at))).toBe('accepted');
    expect(await reason(verifySignature(body, sign(body, ts, SECRET).toUpperCase(), ts, SECRET, at))).toBe('accepted');
  });

  it('names the problem with each refusal', async () => {
    const good = sign(body, ts, SECRET);
    expect(await reason(verifySignature(body, '', ts, SECRET, at))).toBe('missing_signature');
    expect(await reason(verifySignature(body, good, null, SECRET, at))).toBe('missing_timestamp');
    expect(await reason(verifySignature(null, good, ts, SECRET, at))).toBe('missing_body');
    expect(await reason(verifySignature(body, 'not-hex', ts, SECRET, at))).toBe('invalid_format');
    expect(await reason(verifySignature(`${body} `, good, ts, SECRET, at))).toBe('mismatch');
    expect(await reason(verifySignature(body, sign(body, ts, 'other'), ts, SECRET, at))).toBe('mismatch');
    expect(await reason(verifySignature('x'.repeat(2000), sign('x'.repeat(2000), ts, SECRET), ts, SECRET, { ...at, maxBodyBytes: 1000 }))).toBe('too_large');
  });

  it('refuses deliveries outside the tolerance, past or future; off when tolerance is false', async () => {
    const old = String(now / 1000 - 301);
    const future = String(now / 1000 + 301);
    expect(await reason(verifySignature(body, sign(body, old, SECRET), old, SECRET, at))).toBe('stale');
    expect(await reason(verifySignature(body, sign(body, future, SECRET), future, SECRET, at))).toBe('stale');
    expect(await reason(verifySignature(body, sign(body, old, SECRET), old, SECRET, { ...at, toleranceSeconds: false }))).toBe('accepted');
    expect(await reason(verifySignature(body, sign(body, 'abc', SECRET), 'abc', SECRET, at))).toBe('invalid_format');
  });

  it('accepts either secret while rotating, and a header carrying several signatures', async () => {
    expect(await reason(verifySignature(body, sign(body, ts, 'old'), ts, ['new', 'old'], at))).toBe('accepted');
    expect(await reason(verifySignature(body, `${'0'.repeat(64)}, ${sign(body, ts, 'new')}`, ts, ['new'], at))).toBe('accepted');
    expect(await reason(verifySignature(body, sign(body, ts, 'gone'), ts, ['new', 'old'], at))).toBe('mismatch');
  });

  it('refuses a replay of an accepted delivery within the window', async () => {
    const guard = new MemoryReplayGuard(() => now);
    const options = { ...at, replayGuard: guard };
    expect(await reason(verifySignature(body, sign(body, ts, SECRET), ts, SECRET, options))).toBe('accepted');
    expect(await reason(verifySignature(body, sign(body, ts, SECRET), ts, SECRET, options))).toBe('replayed');
  });

  it('verifies Fetch requests and Node requests', async () => {
    const fresh = String(Math.floor(Date.now() / 1000));
    const headers = { 'X-Schematic-Webhook-Signature': sign(body, fresh, SECRET), 'X-Schematic-Webhook-Timestamp': fresh };
    await expect(verifyWebhookSignature(new Request('http://x/', { method: 'POST', body, headers }), SECRET)).resolves.toBeUndefined();
    const nodeHeaders = { 'x-schematic-webhook-signature': headers['X-Schematic-Webhook-Signature'], 'x-schematic-webhook-timestamp': fresh };
    await expect(verifyWebhookSignature({ headers: nodeHeaders, rawBody: body }, SECRET)).resolves.toBeUndefined();
    await expect(verifyWebhookSignature({ headers: nodeHeaders }, SECRET)).rejects.toMatchObject({ reason: 'missing_body' });
  });
});
