import { DEFAULT_REDIS_URL, findRedisServer, isLocalRedis, redisAnswers, startRedis } from './prerequisites';

/**
 * Vitest's global set-up: the Redis tests use the Redis at `REDIS_URL` (default 127.0.0.1:6379). When none
 * answers there and it is on this machine, the run starts a redis-server of its own on that port and stops
 * it when the run ends.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  const url = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  if (!isLocalRedis(url) || (await redisAnswers(url))) return undefined;
  const binary = findRedisServer();
  if ('missing' in binary) {
    console.warn(`[flagwire tests] no Redis at ${url} and ${binary.missing}: the Redis tests will fail (npm test installs it)`);
    return undefined;
  }
  const redis = await startRedis(url, binary.path);
  console.log(`[flagwire tests] no Redis answered at ${url}: started a redis-server of this run's own there`);
  return () => redis.stop();
}
