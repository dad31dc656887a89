import { describe, expect, it, vi } from 'vitest';
import { createWebhookHandler } from '../../src/server/index';
import { type WebhookRequest } from '../../src/webhooks';
import { recordingLogger } from '../support/flags-files';
import { delivery } from '../support/webhooks';

function request(action: string): WebhookRequest {
  const d = delivery(action, { id: 'comp_1' });
  return { rawBody: d.raw, header: (name) => (d.headers as Record<string, string>)[name] ?? null };
}

describe('webhook callbacks by action', () => {
  it('an action named after an Object.prototype member runs only the "*" callback', async () => {
    const log = recordingLogger();
    const all = vi.fn();
    const specific = vi.fn();
    const handle = createWebhookHandler({ secret: 'whsec_test_123', logger: log.logger, on: { 'company.updated': specific, '*': all } });
    const actions = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];
    const statuses: number[] = [];
    for (const action of actions) statuses.push((await handle(request(action))).status);
    expect(statuses).toEqual(actions.map(() => 200));
    expect(all.mock.calls.map(([event]) => event.action)).toEqual(actions);
    expect(specific).not.toHaveBeenCalled();
    expect(log.lines).toEqual([]);
  });

  it('an own callback for a known action still runs, before "*"', async () => {
    const order: string[] = [];
    const handle = createWebhookHandler({
      secret: 'whsec_test_123',
      on: { 'company.updated': () => void order.push('specific'), '*': () => void order.push('*') },
    });
    expect((await handle(request('company.updated'))).status).toBe(200);
    expect(order).toEqual(['specific', '*']);
  });
});
