import { afterEach, describe, expect, it } from 'vitest';
import { startExample } from '../../examples/express/server';
import { delivery, SECRET } from '../support/webhooks';

/** The Express example's webhook route: on only with a secret from its operator, never a built-in one. */
describe('the Express example’s webhook route', () => {
  const running: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const example of running.splice(0)) await example.close();
  });

  it('is off without a secret, says so, and so cannot be forged with a well-known one', async () => {
    const lines: string[] = [];
    const example = await startExample({ port: 0, webhookSecret: undefined, log: (line) => lines.push(line) });
    running.push(example);
    expect(lines).toEqual([expect.stringContaining('set FLAGWIRE_WEBHOOK_SECRET')]);
    // Signed with the secret the example used to fall back on.
    const forged = delivery('flag.updated', { key: 'new-dashboard' }, { secret: 'whsec_example' });
    const response = await fetch(`${example.url}/webhooks/schematic`, { method: 'POST', body: forged.raw, headers: forged.headers });
    expect(response.status).toBe(404);
  });

  it('verifies deliveries with the secret it is given', async () => {
    const example = await startExample({ port: 0, webhookSecret: SECRET, log: () => {} });
    running.push(example);
    const signed = delivery('flag.updated', { key: 'new-dashboard' }, { secret: SECRET });
    expect((await fetch(`${example.url}/webhooks/schematic`, { method: 'POST', body: signed.raw, headers: signed.headers })).status).toBe(200);
    const forged = delivery('flag.updated', { key: 'new-dashboard' }, { secret: 'whsec_example' });
    expect((await fetch(`${example.url}/webhooks/schematic`, { method: 'POST', body: forged.raw, headers: forged.headers })).status).toBe(400);
  });
});
