import { createHmac } from 'node:crypto';

/** Signs like Schematic does, computed independently of flagwire (Node's crypto, not Web Crypto). */
export function sign(body: string, timestamp: string, secret: string): string {
  return createHmac('sha256', secret).update(`${body}+${timestamp}`).digest('hex');
}

export const SECRET = 'whsec_test_123';
export const nowSeconds = () => String(Math.floor(Date.now() / 1000));

export function delivery(action: string, body: Record<string, unknown>, { secret = SECRET, timestamp = nowSeconds() } = {}) {
  const raw = JSON.stringify({ action, account_id: 'acct_1', environment_id: 'env_1', object_type: action.split('.')[0], body });
  return {
    raw,
    headers: { 'X-Schematic-Webhook-Signature': sign(raw, timestamp, secret), 'X-Schematic-Webhook-Timestamp': timestamp, 'Content-Type': 'application/json' },
  };
}
