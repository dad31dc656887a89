import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createClient } from 'redis';
import { afterAll, describe, expect, it } from 'vitest';
import { createFlagsClient } from '../../src/server/index';
import { company, condition, flag, rule } from '../support/builders';
import { DataStreamTestServer } from '../support/datastream-server';
import { recordingLogger } from '../support/flags-files';
import { SchematicTestServer } from '../support/schematic-server';

/** A private redis-server, so killing it cannot disturb other tests. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 5000;
    const probe = () => {
      const client = createClient({ url: `redis://127.0.0.1:${port}` });
      client.on('error', () => {});
      client.connect().then(
        () => client.quit().then(() => resolve(child)),
        () => (Date.now() > deadline ? reject(new Error('redis-server did not start')) : setTimeout(probe, 50)),
      );
    };
    probe();
  });
}

describe('a Redis restart', () => {
  const cleanups: (() => unknown)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('is survived: checks keep answering within their timeout, and the cache refills after it', async () => {
    const port = await freePort();
    let redisProcess = await startRedis(port);
    cleanups.push(() => redisProcess.kill('SIGKILL'));
    const redis = createClient({ url: `redis://127.0.0.1:${port}` });
    redis.on('error', () => {});
    await redis.connect();
    cleanups.push(() => redis.disconnect().catch(() => undefined));

    const api = await new SchematicTestServer().start();
    const stream = await new DataStreamTestServer().start(api.httpServer);
    cleanups.push(() => api.stop(), () => stream.stop());
    stream.flags = [flag([rule({ id: 'r', name: 'Pro', conditions: [condition({ condition_type: 'plan', resource_ids: ['plan_pro'] })] })], { id: 'f', key: 'pro' })] as never;
    stream.companies = [company({ id: 'comp_acme', keys: { domain: 'acme.test' }, plan_ids: ['plan_pro'] })] as never;
    api.flags = { pro: { value: false, reason: 'from REST' } };

    const client = createFlagsClient({
      apiKey: 'sch_test_key',
      useDataStream: true,
      basePath: api.url,
      eventCaptureBaseURL: api.url,
      timeoutMs: 500,
      flagDefaults: { pro: false },
      logger: recordingLogger().logger,
      dataStream: { redisClient: redis, redisKeyPrefix: 'restart:' },
    });
    cleanups.push(() => client.close());
    const acme = { company: { domain: 'acme.test' } };
    await client.ready();
    expect(await client.checkFlag(acme, 'pro')).toBe(true);

    redisProcess.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    const started = performance.now();
    const during = await client.checkFlagWithEntitlement(acme, 'pro');
    expect(performance.now() - started).toBeLessThan(2500);
    expect(during.value).toBe(false); // a default or the REST answer: never a throw, never a hang

    redisProcess = await startRedis(port);
    // The new Redis is empty; the company is fetched over DataStream again and cached anew.
    const deadline = Date.now() + 10_000;
    while (!(await client.checkFlag(acme, 'pro'))) {
      if (Date.now() > deadline) throw new Error('never recovered after the Redis restart');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await redis.get('restart:company:4b54a537:domain:acme.test')).toBe('"comp_acme"');
  }, 30_000);
});
