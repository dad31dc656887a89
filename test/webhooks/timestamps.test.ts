import { describe, expect, it } from 'vitest';
import { createWebhookHandler, verifySignature, WebhookSignatureError } from '../../src/server/index';
import { delivery, SECRET, sign } from '../support/webhooks';

const body = '{"action":"company.updated","body":{"id":"comp_1"}}';
const now = 1_790_000_000_000; // 2026-09-21T14:13:20Z
const at = { now: () => now };

/** The outcome of verifying `body` with the timestamp header `ts`, signed over that exact text. */
async function verdict(ts: string, options: Parameters<typeof verifySignature>[4] = at): Promise<string> {
  try {
    await verifySignature(body, sign(body, ts, SECRET), ts, SECRET, options);
    return 'accepted';
  } catch (error) {
    if (error instanceof WebhookSignatureError) return error.reason;
    throw error;
  }
}

describe('webhook timestamp header', () => {
  it('accepts unix seconds, unix milliseconds and RFC 3339, under the same tolerance', async () => {
    expect(await verdict(String(now / 1000))).toBe('accepted');
    expect(await verdict(String(now))).toBe('accepted');
    expect(await verdict(String(now + 299_000))).toBe('accepted');
    expect(await verdict(String(now - 301_000))).toBe('stale');
    expect(await verdict('2026-09-21T14:13:20Z')).toBe('accepted');
    expect(await verdict('2026-09-21T14:13:20.123456Z')).toBe('accepted');
    expect(await verdict('2026-09-21T16:13:20+02:00')).toBe('accepted');
    expect(await verdict('2026-09-21 14:17:00z')).toBe('accepted');
    expect(await verdict('2026-09-21T14:18:21Z')).toBe('stale');
    expect(await verdict('2026-09-21T14:13:20-02:00')).toBe('stale');
  });

  it('tells seconds from milliseconds by magnitude: below 1e11 is seconds', async () => {
    // 99 999 999 999 s is the year 5138: read as seconds, it is far in the future.
    expect(await verdict('99999999999')).toBe('stale');
    // 100 000 000 000 ms is March 1973: read as milliseconds, it is long past.
    expect(await verdict('100000000000')).toBe('stale');
    expect(await verdict('100000000000', { now: () => 100_000_000_000 })).toBe('accepted');
  });

  it('signs the header text exactly as sent', async () => {
    const ms = String(now);
    const signedAsSeconds = sign(body, String(now / 1000), SECRET);
    await expect(verifySignature(body, signedAsSeconds, ms, SECRET, at)).rejects.toMatchObject({ reason: 'mismatch' });
  });

  it('refuses what is none of the three forms', async () => {
    for (const ts of ['2026-02-30T00:00:00Z', '2026-09-21T14:13:20', '2026-09-21', '1790000000.5', '-1790000000', 'yesterday', '1e9']) {
      expect(await verdict(ts), ts).toBe('invalid_format');
    }
  });

  it('remembers a millisecond-dated delivery as a replay', async () => {
    const handle = createWebhookHandler({ secret: SECRET, now: () => now });
    const d = delivery('test.send', {}, { timestamp: String(now) });
    const send = () => handle({ rawBody: d.raw, header: (name) => (d.headers as Record<string, string>)[name] ?? null });
    expect((await send()).status).toBe(200);
    expect((await send()).body).toMatchObject({ code: 'replayed' });
  });
});
