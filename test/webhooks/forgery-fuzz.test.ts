import { describe, expect, it } from 'vitest';
import { createWebhookHandler } from '../../src/server/index';
import { type WebhookRequest } from '../../src/webhooks';
import { Random } from '../support/random';
import { SECRET, sign } from '../support/webhooks';

/**
 * 10,000+ requests that must all be refused: forged, mutated, truncated, stale, future-dated, replayed,
 * wrong-secret, oversize and malformed. None is accepted; no callback ever runs.
 */
const CASES = Number(process.env.FLAGWIRE_WEBHOOK_FUZZ ?? 12_000);
const NOW = 1_790_000_000_000;

describe('webhook forgery fuzz', () => {
  it(`refuses all ${CASES} bad deliveries and never invokes a callback`, async () => {
    let invoked = 0;
    const handle = createWebhookHandler({ secret: SECRET, on: { '*': () => void invoked++ }, now: () => NOW, maxBodyBytes: 4096 });
    const random = new Random(6);
    const ts = String(NOW / 1000);
    const body = (n: number) => JSON.stringify({ action: 'company.updated', account_id: 'a', environment_id: 'e', body: { id: `comp_${n}`, keys: { domain: `c${n}.test` } } });
    // One genuine delivery, accepted once, so replays of it can be tried.
    const genuine = body(-1);
    const accepted = await handle(request(genuine, sign(genuine, ts, SECRET), ts));
    expect(accepted.status).toBe(200);
    expect(invoked).toBe(1);
    invoked = 0;

    const kinds = new Map<string, number>();
    for (let i = 0; i < CASES; i++) {
      const raw = body(i);
      const good = sign(raw, ts, SECRET);
      const kind = random.pick(['forged', 'mutated', 'truncated', 'stale', 'future', 'replayed', 'wrong-secret', 'oversize', 'malformed', 'headers'] as const);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      let req: WebhookRequest;
      switch (kind) {
        case 'forged':
          req = request(raw, Array.from({ length: 64 }, () => random.pick([...'0123456789abcdef'])).join(''), ts);
          break;
        case 'mutated': {
          const at = random.int(0, raw.length - 1);
          const mutated = raw.slice(0, at) + String.fromCharCode(raw.charCodeAt(at) ^ (1 + random.int(0, 30))) + raw.slice(at + 1);
          req = request(random.chance(0.5) ? mutated : raw, random.chance(0.5) ? good : flip(good, random), ts);
          if (req.rawBody === raw) req = request(raw, flip(good, random), ts);
          break;
        }
        case 'truncated':
          req = request(raw.slice(0, random.int(0, raw.length - 1)), good, ts);
          break;
        case 'stale': {
          const old = String(NOW / 1000 - random.int(301, 10_000_000));
          req = request(raw, sign(raw, old, SECRET), old);
          break;
        }
        case 'future': {
          const later = String(NOW / 1000 + random.int(301, 10_000_000));
          req = request(raw, sign(raw, later, SECRET), later);
          break;
        }
        case 'replayed':
          req = request(genuine, sign(genuine, ts, SECRET), ts);
          break;
        case 'wrong-secret':
          req = request(raw, sign(raw, ts, `${SECRET}${random.int(0, 9)}`), ts);
          break;
        case 'oversize': {
          const big = JSON.stringify({ action: 'company.updated', body: { pad: 'x'.repeat(5000) } });
          req = request(big, sign(big, ts, SECRET), ts);
          break;
        }
        case 'malformed':
          req = request(raw, random.pick(['', 'zz', good.slice(0, 63), `${good}0`, `sha256=${good}`, ' ']), random.pick([ts, '', 'yesterday', '-1', `${ts}.5`]));
          break;
        default:
          req = { rawBody: raw, header: (name) => (random.chance(0.5) && name.endsWith('Timestamp') ? ts : null) };
      }
      const result = await handle(req);
      expect(result.status, `${kind} #${i} was accepted`).toBe(400);
    }
    expect(invoked).toBe(0);
    expect([...kinds.values()].every((n) => n > CASES / 20)).toBe(true);
  });
});

function request(rawBody: string, signature: string, timestamp: string): WebhookRequest {
  const headers: Record<string, string> = { 'X-Schematic-Webhook-Signature': signature, 'X-Schematic-Webhook-Timestamp': timestamp };
  return { rawBody, header: (name) => headers[name] ?? null };
}

function flip(hex: string, random: Random): string {
  const at = random.int(0, hex.length - 1);
  const digit = hex[at] === '0' ? '1' : '0';
  return hex.slice(0, at) + digit + hex.slice(at + 1);
}
