import { createFlagsClient, createReplicator, type FlagsClient, type RedisClient, type Replicator } from '../../src/server/index';
import { waitFor } from '../redis/redis-connections';
import { DataStreamTestServer } from './datastream-server';
import { recordingLogger } from './flags-files';
import { testRedis } from './redis';
import { SchematicTestServer } from './schematic-server';

/**
 * What the replicator tests run against: the Schematic API and DataStream test servers, a real Redis under a
 * prefix of its own, and flagwire's replicator writing that Redis from the stream.
 */
export interface ReplicatorStack {
  api: SchematicTestServer;
  stream: DataStreamTestServer;
  redis: Awaited<ReturnType<typeof testRedis>>;
  replicator: Replicator;
  /** What a test opened against the stack; stop() closes these first, the last opened first. */
  closers: (() => Promise<unknown>)[];
  /** A flagwire client in replicator mode reading the stack's Redis (through `redisClient`, by default the stack's own). */
  reader(redisClient?: RedisClient): FlagsClient;
  stop(): Promise<void>;
}

/**
 * Starts the stack with the stream holding what `seed` puts there, and resolves once the replicator has written
 * company `readyCompanyId` (written last), so that every test starts from a full Redis.
 */
export async function startReplicatorStack(seed: (stream: DataStreamTestServer) => void, readyCompanyId: string): Promise<ReplicatorStack> {
  const api = await new SchematicTestServer().start();
  const stream = await new DataStreamTestServer().start(api.httpServer);
  seed(stream);
  const redis = await testRedis();
  const replicator = await createReplicator({ apiKey: 'sch_test_key', basePath: api.url, redisClient: redis.client, redisKeyPrefix: redis.prefix, healthPort: 0, logLevel: 'silent' });
  await replicator.whenReady();
  await waitFor(async () => (await redis.client.get(`${redis.prefix}company:${replicator.cacheVersion}:${readyCompanyId}`)) !== null);
  const closers: (() => Promise<unknown>)[] = [];
  return {
    api,
    stream,
    redis,
    replicator,
    closers,
    reader(redisClient = redis.client) {
      const client = createFlagsClient({
        apiKey: 'sch_test_key',
        basePath: api.url,
        eventCaptureBaseURL: api.url,
        logger: recordingLogger().logger,
        dataStream: { replicatorMode: true, redisClient, redisKeyPrefix: redis.prefix, replicatorHealthURL: `${replicator.healthUrl}/ready`, replicatorHealthCheck: 200 },
      });
      closers.push(() => client.close());
      return client;
    },
    async stop() {
      for (const close of closers.splice(0).reverse()) await close();
      await replicator.close();
      await stream.stop();
      await api.stop();
      await redis.cleanup();
    },
  };
}
