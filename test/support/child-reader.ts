/**
 * A second OS process for the fan-out test: a replicator-mode client on the shared Redis. It prints its
 * answers as one JSON line when ready, and again after each change notice it hears.
 */
import { createClient } from 'redis';
import { createFlagsClient } from '../../src/server/index';

const { REDIS_URL, PREFIX, HEALTH_URL, API_URL, CHECKS } = process.env as Record<string, string>;
const checks = JSON.parse(CHECKS ?? '[]') as [Record<string, string>, string][];

const redis = createClient({ url: REDIS_URL });
redis.on('error', () => {});
await redis.connect();
const client = createFlagsClient({
  apiKey: 'sch_test_key',
  basePath: API_URL,
  eventCaptureBaseURL: API_URL,
  logLevel: 'silent',
  dataStream: { replicatorMode: true, redisClient: redis, redisKeyPrefix: PREFIX, replicatorHealthURL: HEALTH_URL, replicatorHealthCheck: 200 },
});
const report = async (label: string) => {
  const answers = [];
  for (const [company, key] of checks) answers.push(await client.checkFlag({ company }, key));
  process.stdout.write(`${JSON.stringify({ label, answers })}\n`);
};
await client.ready();
await report('ready');
client.subscribe(() => void report('changed'));
process.stdin.on('end', async () => {
  await client.close();
  await redis.quit();
  process.exit(0);
});
process.stdin.resume();
