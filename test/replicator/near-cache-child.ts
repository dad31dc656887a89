/**
 * A second OS process for the near-cache tests and bench: a flags client on the shared Redis (replicator
 * mode, or DataStream mode with MODE=datastream), driven by JSON lines on stdin, answering on stdout:
 *   {"id", "op": "check", "checks": [[context, key], …]}  → {"type": "answers", "id", "answers": […]}
 *   {"id", "op": "invalidate", "change": {…}}            → {"type": "invalidated", "id"}
 * and, unasked: {"type": "ready"}; {"type": "change", "event", "answers"} on each change it hears, with
 * the WATCH checks answered right after; {"type": "subscriber", "live"} when its pub/sub connection drops
 * or is ready again. Its connections carry CLIENT_NAME; its pub/sub connection goes to SUB_URL when set
 * (a proxy the test can cut), its other connection straight to REDIS_URL.
 */
import { createClient } from 'redis';
import { createInterface } from 'node:readline';
import { createFlagsClient, type EvaluationContext } from '../../src/server/index';
import type { RedisPubSub, RedisSubscriber } from '../../src/store/redis-fanout';
import type { RedisClient } from '../../src/store/redis-store';

const env = process.env as Record<string, string | undefined>;
const { REDIS_URL, SUB_URL, CLIENT_NAME, PREFIX, HEALTH_URL, API_URL } = env;
const watch = JSON.parse(env.WATCH ?? '[]') as [EvaluationContext, string][];
const say = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);

const main = createClient({ url: REDIS_URL, name: CLIENT_NAME });
main.on('error', () => {});
await main.connect();

/** The connection the client subscribes with, routed to SUB_URL, reporting its state before the client hears it. */
function subscriberConnection(): RedisSubscriber {
  const subscriber = createClient({ url: SUB_URL ?? REDIS_URL, name: CLIENT_NAME });
  subscriber.on('ready', () => say({ type: 'subscriber', live: true }));
  subscriber.on('reconnecting', () => say({ type: 'subscriber', live: false }));
  return subscriber as unknown as RedisSubscriber;
}

const redis: RedisClient & RedisPubSub = {
  get: (key) => main.get(key),
  set: (key, value) => main.set(key, value),
  setEx: (key, seconds, value) => main.setEx(key, seconds, value),
  del: (key) => main.del(key),
  scanIterator: (options) => main.scanIterator(options),
  publish: (channel, message) => main.publish(channel, message),
  duplicate: subscriberConnection,
  get isReady() {
    return main.isReady;
  },
};

const client = createFlagsClient({
  apiKey: 'sch_test_key',
  basePath: API_URL,
  eventCaptureBaseURL: API_URL,
  logLevel: 'silent',
  ...(env.MODE === 'datastream'
    ? { useDataStream: true, dataStream: { redisClient: redis, redisKeyPrefix: PREFIX } }
    : { dataStream: { replicatorMode: true, redisClient: redis, redisKeyPrefix: PREFIX, replicatorHealthURL: HEALTH_URL, replicatorHealthCheck: 200 } }),
});

const answer = (checks: [EvaluationContext, string][]) => Promise.all(checks.map(([context, key]) => client.checkFlag(context, key)));

await client.ready();
client.subscribe((event) => void answer(watch).then((answers) => say({ type: 'change', event, answers })));
say({ type: 'ready' });

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as { id: number; op: 'check' | 'invalidate'; checks?: [EvaluationContext, string][]; change?: never };
  if (command.op === 'check') say({ type: 'answers', id: command.id, answers: await answer(command.checks ?? []) });
  if (command.op === 'invalidate') {
    await client.invalidate(command.change as never);
    say({ type: 'invalidated', id: command.id });
  }
}
await client.close();
await main.quit();
process.exit(0);
