import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createPagesWebhookHandler } from '../../src/next/pages';
import { createWebhookHandler, MemoryReplayGuard, RedisReplayGuard } from '../../src/server/index';
import { type WebhookRequest } from '../../src/webhooks';
import { recordingLogger } from '../support/flags-files';
import { testRedis } from '../support/redis';
import { delivery, SECRET } from '../support/webhooks';

const START = 1_790_000_000_000;

function request(d: { raw: string; headers: Record<string, string> }): WebhookRequest {
  return { rawBody: d.raw, header: (name) => d.headers[name] ?? null };
}

/** A callback that throws on its first call only, as a database that was briefly down. */
function failingOnce() {
  const calls = { count: 0 };
  const callback = () => {
    calls.count++;
    if (calls.count === 1) throw new Error('db down');
  };
  return { calls, callback };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((r) => server.close(r));
});

describe('replay guard window', () => {
  it('remembers a delivery until its timestamp leaves the tolerance, not for the tolerance from acceptance', async () => {
    let clock = START;
    const handle = createWebhookHandler({ secret: SECRET, now: () => clock });
    // Dated at the far end of the window: fresh now, and still fresh for another 2 × 300 s.
    const d = delivery('test.send', {}, { timestamp: String(START / 1000 + 300) });
    expect((await handle(request(d))).status).toBe(200);
    clock = START + 301_000;
    expect((await handle(request(d))).body).toMatchObject({ code: 'replayed' });
    clock = START + 599_000;
    expect((await handle(request(d))).body).toMatchObject({ code: 'replayed' });
    clock = START + 601_000;
    expect((await handle(request(d))).body).toMatchObject({ code: 'stale' });
  });

  it('MemoryReplayGuard holds a claim until the time it was given, and a released one can be claimed again', async () => {
    let clock = START;
    const guard = new MemoryReplayGuard(() => clock);
    expect(await guard.claim('a', START + 1000)).toBe(true);
    clock = START + 1000;
    expect(await guard.claim('a', START + 5000)).toBe(false);
    clock = START + 1001;
    expect(await guard.claim('a', START + 5000)).toBe(true);
    await guard.release('a');
    expect(await guard.claim('a', START + 5000)).toBe(true);
  });
});

describe('a delivery is remembered only once it was handled', () => {
  it('the sender’s retry after a 500 is processed, not refused as a replay', async () => {
    const { calls, callback } = failingOnce();
    const handle = createWebhookHandler({ secret: SECRET, logger: recordingLogger().logger, on: { '*': callback } });
    const d = delivery('company.updated', { id: 'comp_1' });
    expect((await handle(request(d))).status).toBe(500);
    expect((await handle(request(d))).status).toBe(200);
    expect(calls.count).toBe(2);
    // Handled once: now it is a replay.
    expect((await handle(request(d))).body).toMatchObject({ code: 'replayed' });
  });

  it('two concurrent copies of one delivery are handled once', async () => {
    let handled = 0;
    const handle = createWebhookHandler({
      secret: SECRET,
      on: { '*': async () => void (handled++, await new Promise((r) => setTimeout(r, 20))) },
    });
    const d = delivery('test.send', {});
    const statuses = (await Promise.all([handle(request(d)), handle(request(d))])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 400]);
    expect(handled).toBe(1);
  });

  it('with RedisReplayGuard too: a failed delivery is released, a handled one is refused on every instance', async () => {
    const redis = await testRedis();
    try {
      const { calls, callback } = failingOnce();
      const options = { secret: SECRET, logger: recordingLogger().logger, on: { '*': callback } };
      const a = createWebhookHandler({ ...options, replayGuard: new RedisReplayGuard(redis.client, redis.prefix) });
      const b = createWebhookHandler({ ...options, replayGuard: new RedisReplayGuard(redis.client, redis.prefix) });
      const d = delivery('company.updated', { id: 'comp_1' });
      expect((await a(request(d))).status).toBe(500);
      expect((await b(request(d))).status).toBe(200);
      expect((await a(request(d))).body).toMatchObject({ code: 'replayed' });
      expect(calls.count).toBe(2);
    } finally {
      await redis.cleanup();
    }
  });

  it('Pages Router: a page that failed to regenerate gets its retry processed', async () => {
    let fail = true;
    const handler = createPagesWebhookHandler({ secret: SECRET, logger: recordingLogger().logger, revalidatePaths: ['/pricing'] });
    const server = createServer((req, res) => {
      const nextRes = {
        status: (code: number) => ({ json: (body: unknown) => res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body)) }),
        revalidate: async () => {
          if (fail) throw new Error('render failed');
        },
      };
      void handler(req as never, nextRes);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const d = delivery('company.updated', { id: 'comp_1' });
    const send = () => fetch(url, { method: 'POST', body: d.raw, headers: d.headers });
    expect((await send()).status).toBe(500);
    fail = false;
    expect((await send()).status).toBe(200);
  });
});

describe('RedisReplayGuard when Redis does not answer', () => {
  const hang = () => new Promise<never>(() => {});
  const within = <T>(work: Promise<T>) => Promise.race([work, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 3000))]);

  it('answers 503 (so the sender retries) and logs why, instead of hanging', async () => {
    const log = recordingLogger();
    const guard = new RedisReplayGuard({ set: hang, del: hang }, 'p:', { timeoutMs: 50 });
    const handle = createWebhookHandler({ secret: SECRET, logger: log.logger, replayGuard: guard });
    const result = await within(handle(request(delivery('test.send', {}))));
    expect(result).toEqual({ status: 503, body: { error: 'replay guard unavailable', code: 'unavailable' } });
    expect(log.lines.map((l) => l.message).join('\n')).toContain('Redis did not answer SET NX within 50 ms');
  });

  it('answers a failed delivery 500 even when releasing its claim does not finish', async () => {
    const log = recordingLogger();
    const guard = new RedisReplayGuard({ set: async () => 'OK', del: hang }, 'p:', { timeoutMs: 50 });
    const handle = createWebhookHandler({ secret: SECRET, logger: log.logger, replayGuard: guard, on: { '*': () => Promise.reject(new Error('db down')) } });
    const result = await within(handle(request(delivery('test.send', {}))));
    expect(result).toMatchObject({ status: 500 });
    expect(log.lines.map((l) => l.message).join('\n')).toContain('could not forget');
  });
});
