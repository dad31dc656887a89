import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPagesWebhookHandler } from '../../src/next/pages';
import { createWebhookRoute } from '../../src/next/webhook';
import { recordingLogger } from '../support/flags-files';
import { delivery, SECRET } from '../support/webhooks';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((r) => server.close(r));
});

const post = (d = delivery('test.send', {})) => new Request('http://app/api/webhooks/schematic', { method: 'POST', body: d.raw, headers: d.headers });

describe('Next webhook routes check their secret on the first request, not at import (next build)', () => {
  it('App Router: no secret does not throw at import; a POST is answered 500 and the reason logged', async () => {
    const log = recordingLogger();
    const onEvent = vi.fn();
    // What `next build` evaluates when FLAGWIRE_WEBHOOK_SECRET is unset.
    const route = createWebhookRoute({ secret: undefined as never, logger: log.logger, revalidateTag: vi.fn(), on: { '*': onEvent } });
    const response = await route.POST(post());
    expect([response.status, await response.json()]).toEqual([500, { error: 'webhook endpoint is not configured', code: 'not_configured' }]);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatchObject({ level: 'error' });
    expect(log.lines[0]!.message).toContain('createWebhookRoute');
    expect(log.lines[0]!.message).toContain('option secret');
    expect(onEvent).not.toHaveBeenCalled();
  });

  it('App Router: a blank secret or bad tolerance is also reported per request, not thrown at import', async () => {
    const log = recordingLogger();
    expect(() => createWebhookRoute({ secret: ' ', logger: log.logger, revalidateTag: vi.fn() })).not.toThrow();
    const route = createWebhookRoute({ secret: SECRET, toleranceSeconds: Number.NaN, logger: log.logger, revalidateTag: vi.fn() });
    expect((await route.POST(post())).status).toBe(500);
    expect(log.lines[0]!.message).toContain('option toleranceSeconds');
  });

  it('App Router: with a valid secret it verifies and handles deliveries', async () => {
    const onEvent = vi.fn();
    const revalidateTag = vi.fn();
    const { POST } = createWebhookRoute({ secret: SECRET, revalidateTag, on: { '*': onEvent } });
    expect((await POST(post())).status).toBe(200);
    expect(revalidateTag).toHaveBeenCalledWith('flagwire');
    expect(onEvent).toHaveBeenCalledTimes(1);
  });

  it('Pages Router: no secret does not throw at import; a POST is answered 500 and logged; a valid secret works', async () => {
    const log = recordingLogger();
    const broken = createPagesWebhookHandler({ secret: undefined as never, logger: log.logger });
    const working = createPagesWebhookHandler({ secret: SECRET });
    const server = createServer((req, res) => {
      const nextRes = { status: (code: number) => ({ json: (body: unknown) => res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body)) }) };
      void (req.url === '/broken' ? broken : working)(req as never, nextRes);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const send = (path: string) => {
      const d = delivery('test.send', {});
      return fetch(`${url}${path}`, { method: 'POST', body: d.raw, headers: d.headers });
    };
    const failed = await send('/broken');
    expect([failed.status, (await failed.json()).code]).toEqual([500, 'not_configured']);
    expect(log.lines[0]!.message).toContain('createPagesWebhookHandler');
    expect((await send('/working')).status).toBe(200);
  });
});
