import { createServer, type Server } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlagwireError } from '../../src/core/errors';
import { createReplicator, type Replicator } from '../../src/server/index';
import { flag } from '../support/builders';
import { DataStreamTestServer } from '../support/datastream-server';
import { FakeRedis } from '../redis/fake-redis';

async function waitFor(predicate: () => Promise<boolean> | boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function ready(replicator: Replicator): Promise<{ status: number; body: { ready: boolean; components: { redis: string; datastream: string } } }> {
  const response = await fetch(`${replicator.healthUrl}/ready`);
  return { status: response.status, body: (await response.json()) as never };
}

describe('replicator health port', () => {
  let occupied: Server;
  beforeEach(async () => {
    occupied = createServer();
    await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
  });
  afterEach(() => new Promise<void>((resolve) => occupied.close(() => resolve())));

  it('rejects createReplicator with a FlagwireError when the port is taken, and the process lives on', async () => {
    const { port } = occupied.address() as { port: number };
    const starting = createReplicator({ apiKey: 'sch_test_key', basePath: 'http://127.0.0.1:9', redisClient: new FakeRedis(), healthPort: port, logLevel: 'silent' });
    await expect(starting).rejects.toBeInstanceOf(FlagwireError);
    await expect(starting).rejects.toThrow(new RegExp(`healthPort.*127\\.0\\.0\\.1:${port}.*in use`));
  });
});

describe('replicator /ready reports Redis as it is', () => {
  let stream: DataStreamTestServer;
  let replicator: Replicator | null = null;
  beforeEach(async () => {
    stream = await new DataStreamTestServer().start();
    stream.flags = [flag([], { id: 'f1', key: 'alpha' })] as never;
  });
  afterEach(async () => {
    await replicator?.close();
    replicator = null;
    await stream.stop();
  });

  async function start(redis: FakeRedis): Promise<Replicator> {
    replicator = await createReplicator({ apiKey: 'sch_test_key', basePath: stream.url, redisClient: redis, healthPort: 0, logLevel: 'silent', redisCommandTimeoutMs: 50 });
    await replicator.whenReady();
    expect(await ready(replicator)).toMatchObject({ status: 200, body: { ready: true, components: { redis: 'connected' } } });
    return replicator;
  }

  it('answers 503 with redis "disconnected" when the node-redis client is not ready', async () => {
    const redis = new FakeRedis();
    const started = await start(redis);
    redis.state = 'failing';
    expect(await ready(started)).toMatchObject({ status: 503, body: { ready: false, components: { redis: 'disconnected', datastream: 'ready' } } });
  });

  it('answers 503 with redis "disconnected" once a write times out, and 200 again after a write succeeds (client without isReady)', async () => {
    const redis = new FakeRedis({ readiness: false });
    const started = await start(redis);
    redis.state = 'hung';
    stream.pushFlag(flag([], { id: 'f2', key: 'beta' }) as never);
    await waitFor(async () => (await ready(started)).status === 503);
    expect((await ready(started)).body).toMatchObject({ ready: false, components: { redis: 'disconnected', datastream: 'ready' } });
    redis.state = 'up';
    stream.pushFlag(flag([], { id: 'f3', key: 'gamma' }) as never);
    await waitFor(async () => (await ready(started)).status === 200);
    expect((await ready(started)).body.components.redis).toBe('connected');
  });

  it('answers 503 with redis "disconnected" when writes fail', async () => {
    const redis = new FakeRedis({ readiness: false });
    const started = await start(redis);
    redis.state = 'failing';
    stream.pushFlag(flag([], { id: 'f2', key: 'beta' }) as never);
    await waitFor(async () => (await ready(started)).status === 503);
    expect((await ready(started)).body.components.redis).toBe('disconnected');
  });
});
