import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { DEFAULT_REDIS_URL } from './prerequisites';

/**
 * A real Redis for tests: `REDIS_URL` (default redis://127.0.0.1:6379; the test run starts one when none
 * answers: redis-global-setup.ts), with a key prefix unique to this run so parallel runs never collide, and
 * cleanup of that prefix.
 */
export const REDIS_URL = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;

export async function testRedis() {
  const client = createClient({ url: REDIS_URL });
  client.on('error', () => {});
  await client.connect();
  const prefix = `flagwire-test:${randomUUID().slice(0, 8)}:`;
  return {
    client,
    prefix,
    async cleanup() {
      const keys: string[] = [];
      for await (const key of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) keys.push(key);
      if (keys.length > 0) await client.del(keys);
      await client.quit();
    },
  };
}
