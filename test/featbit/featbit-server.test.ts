import { afterEach, describe, expect, it } from 'vitest';
import { featBitToken } from '../../src/sources/featbit/token';
import { featBitFlag } from '../support/featbit-builders';
import { FeatBitTestServer } from '../support/featbit-server';

/** The stand-in's own contract, which the sync tests and the interop tests lean on. */
let server: FeatBitTestServer;
afterEach(async () => server.stop());

const latestAll = (timestamp: number, headers: Record<string, string>) => fetch(`${server.url}/api/public/sdk/server/latest-all?timestamp=${timestamp}`, { headers });

describe('FeatBitTestServer', () => {
  it('answers polls: 401 without the raw secret, full at 0, patch with only newer rows after, 304 for its ETag', async () => {
    server = await new FeatBitTestServer().start();
    server.setAll({ flags: [featBitFlag({ key: 'old', updatedAt: '2025-01-01T00:00:00Z' }), featBitFlag({ key: 'new', updatedAt: '2025-01-03T00:00:00Z' })] });
    expect((await latestAll(0, { Authorization: `Bearer ${server.secret}` })).status).toBe(401);

    const full = await latestAll(0, { Authorization: server.secret });
    const fullBody = (await full.json()) as { messageType: string; data: { eventType: string; featureFlags: { key: string }[] } };
    expect(fullBody.messageType).toBe('data-sync');
    expect(fullBody.data.eventType).toBe('full');
    expect(fullBody.data.featureFlags.map((f) => f.key)).toEqual(['old', 'new']);

    const since = Date.parse('2025-01-02T00:00:00Z');
    const patch = await latestAll(since, { Authorization: server.secret });
    const etag = patch.headers.get('etag')!;
    const patchBody = (await patch.json()) as { data: { eventType: string; featureFlags: { key: string }[] } };
    expect(patchBody.data.eventType).toBe('patch');
    expect(patchBody.data.featureFlags.map((f) => f.key)).toEqual(['new']);
    expect((await latestAll(since, { Authorization: server.secret, 'If-None-Match': etag })).status).toBe(304);
    expect(server.polls.map((p) => p.status)).toEqual([401, 200, 200, 304]);
  });

  it('refuses upgrades with 503 while refusing, and accepts only tokens that decode to its secret', async () => {
    server = await new FeatBitTestServer().start();
    const { WebSocket } = await import('ws');
    const attempt = (token: string) =>
      new Promise<{ status?: number; code?: number }>((resolve) => {
        const socket = new WebSocket(`${server.url.replace('http', 'ws')}/streaming?type=server&token=${encodeURIComponent(token)}`);
        socket.on('unexpected-response', (_request, response) => {
          resolve({ status: response.statusCode });
          socket.terminate();
        });
        socket.on('error', () => {});
        socket.on('close', (code) => resolve({ code }));
        socket.on('open', () => socket.close(1000));
      });
    server.refusing = true;
    expect(await attempt(featBitToken(server.secret, Date.now(), 0.3))).toEqual({ status: 503 });
    server.refusing = false;
    expect(await attempt(featBitToken('another-secret', Date.now(), 0.3))).toEqual({ code: 4003 });
    expect(await attempt(featBitToken(server.secret, Date.now(), 0.3))).toEqual({ code: 1000 });
    expect(server.counts).toMatchObject({ upgrades: 3, rejected: 1, connections: 1 });
  });
});
