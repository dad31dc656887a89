import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeatBitInsights, type FeatBitInsightsOptions } from '../../src/capture/featbit/insights';
import { SDK_NAME, SDK_VERSION } from '../../src/api/api-requester';
import { FeatBitEventsServer } from '../support/featbit-events-server';

const SECRET = 'fb-env-secret';
const ADA = { keyId: 'u-ada', name: 'Ada', customizedProperties: [{ name: 'plan', value: 'pro' }, { name: 'country', value: 'uk' }] };
const ON = { id: 'v-on', value: 'true' };

/** Every line logged, by level; kept here so this suite loads nothing of the client. */
function recordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const record = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, logger: { error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug') } };
}

/** Insight delivery against a FeatBit-shaped event endpoint on loopback: wire shapes, batching, faults, close. */
describe('FeatBit insights', () => {
  let server: FeatBitEventsServer;
  let log: ReturnType<typeof recordingLogger>;
  const open: FeatBitInsights[] = [];

  function insights(overrides: Partial<FeatBitInsightsOptions> = {}): FeatBitInsights {
    const made = new FeatBitInsights({
      envSecret: SECRET,
      eventsUrl: server.url,
      logger: log.logger,
      // Nothing goes out on a timer unless a test asks: each test says when events are sent.
      flushIntervalMs: 60_000,
      retryInitialDelayMs: 5,
      random: () => 0.5,
      ...overrides,
    });
    open.push(made);
    return made;
  }

  const problems = () => log.lines.filter((l) => l.level === 'error' || l.level === 'warn');

  beforeEach(async () => {
    server = await new FeatBitEventsServer(SECRET).start();
    log = recordingLogger();
  });
  afterEach(async () => {
    for (const made of open.splice(0)) await made.close(100);
    await server.stop();
  });

  it('sends evaluation and metric items, mixed in one batch, in the fact sheet shapes, with the raw secret and a flagwire user agent', async () => {
    const sdk = insights();
    sdk.evaluation(ADA, 'checkout', ON, true, 1_700_000_000_001);
    sdk.metric(ADA, 'purchase', 99.5, 1_700_000_000_002);
    sdk.evaluation({ key: 'u-bob' }, 'banner', { id: 'v-b', value: 'blue' }, false, 1_700_000_000_003);
    await sdk.flush();

    expect(server.batches).toHaveLength(1);
    const [batch] = server.batches;
    expect(batch?.authorization).toBe(SECRET);
    expect(batch?.contentType).toBe('application/json');
    expect(batch?.userAgent).toBe(`${SDK_NAME}/${SDK_VERSION}`);
    expect(batch?.body).toEqual([
      { user: ADA, variations: [{ featureFlagKey: 'checkout', variation: ON, timestamp: 1_700_000_000_001, sendToExperiment: true }] },
      {
        user: ADA,
        metrics: [{ route: 'index/metric', type: 'CustomEvent', appType: 'flagwire', eventName: 'purchase', numericValue: 99.5, timestamp: 1_700_000_000_002 }],
      },
      {
        user: { keyId: 'u-bob', name: '', customizedProperties: [] },
        variations: [{ featureFlagKey: 'banner', variation: { id: 'v-b', value: 'blue' }, timestamp: 1_700_000_000_003, sendToExperiment: false }],
      },
    ]);
    expect(sdk.stats).toMatchObject({ delivered: 3, dropped: 0, queued: 0 });
    expect(problems()).toEqual([]);
  });

  it('sends at most 50 items per POST, one item per event: identical events are neither merged nor deduplicated', async () => {
    const sdk = insights();
    for (let i = 0; i < 120; i++) sdk.evaluation(ADA, 'checkout', ON, false, 1_000);
    await sdk.flush();

    // Batches travel side by side (several POSTs in flight), so they may arrive in any order.
    expect(server.batches.map((b) => (b.body as unknown[]).length).sort((x, y) => y - x)).toEqual([50, 50, 20]);
    expect(server.acceptedItems).toHaveLength(120);
    for (const item of server.acceptedItems) expect((item.variations as unknown[]).length).toBe(1);
  });

  it('sends on its timer without being asked', async () => {
    const sdk = insights({ flushIntervalMs: 10 });
    sdk.metric(ADA, 'tick', 1, 1);
    await expect.poll(() => server.acceptedItems.length).toBe(1);
  });

  it('tries 503, 429 and dropped connections again until the batch is accepted, once', async () => {
    server.inject({ kind: 'status', status: 503 }, { times: 2 });
    server.inject({ kind: 'status', status: 429, retryAfter: '0' }, { times: 1 });
    server.inject({ kind: 'drop' }, { times: 1 });
    server.inject({ kind: 'status', status: 408 }, { times: 1 });
    const sdk = insights();
    for (let i = 0; i < 3; i++) sdk.metric({ keyId: `u-${i}` }, 'purchase', i, 1);
    await sdk.flush();

    expect(server.batches.map((b) => b.outcome)).toEqual([503, 503, 429, 'dropped', 408, 200]);
    expect(server.acceptedItems.map((item) => (item.user as { keyId: string }).keyId)).toEqual(['u-0', 'u-1', 'u-2']);
    expect(sdk.stats).toMatchObject({ delivered: 3, retries: 5, dropped: 0 });
    expect(problems()).toEqual([]);
  });

  it('drops a batch the server refuses with 400, logging how many events were lost, and goes on with the next', async () => {
    server.inject({ kind: 'status', status: 400 }, { times: 1 });
    const sdk = insights();
    for (let i = 0; i < 3; i++) sdk.metric({ keyId: `refused-${i}` }, 'purchase', 1, 1);
    await sdk.flush();
    sdk.metric({ keyId: 'after' }, 'purchase', 1, 1);
    await sdk.flush();

    expect(server.batches.map((b) => b.outcome)).toEqual([400, 200]);
    expect(server.acceptedItems.map((item) => (item.user as { keyId: string }).keyId)).toEqual(['after']);
    expect(sdk.stats).toMatchObject({ delivered: 1, dropped: 3, retries: 0 });
    const errors = problems();
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/^FeatBit refused 3 events \(.*answered 400: injected 400\); they are dropped$/);
  });

  it('drops a batch refused for a wrong secret (401) the same way, never retrying it', async () => {
    const sdk = insights({ envSecret: 'wrong-secret' });
    sdk.evaluation(ADA, 'checkout', ON, false, 1);
    await sdk.flush();
    expect(server.batches.map((b) => b.outcome)).toEqual([401]);
    expect(problems().map((l) => l.message)).toEqual([expect.stringMatching(/^FeatBit refused 1 events .*401/)]);
  });

  it('close() delivers everything it holds within its deadline', async () => {
    const sdk = insights();
    for (let i = 0; i < 75; i++) sdk.evaluation({ keyId: `u-${i}` }, 'checkout', ON, i % 2 === 0, i);
    sdk.metric(ADA, 'purchase', 1, 75);
    expect(server.batches).toEqual([]);
    await sdk.close(5_000);

    expect(server.acceptedItems).toHaveLength(76);
    expect(server.batches.map((b) => (b.body as unknown[]).length).sort((x, y) => y - x)).toEqual([50, 26]);
    expect(sdk.stats).toMatchObject({ delivered: 76, queued: 0, dropped: 0 });
    expect(problems()).toEqual([]);
  });

  it('close() through a few failures still delivers within its deadline', async () => {
    server.inject({ kind: 'status', status: 503 }, { times: 3 });
    const sdk = insights({ retryInitialDelayMs: 1_000 });
    sdk.metric(ADA, 'purchase', 1, 1);
    await sdk.close(10_000);
    expect(server.acceptedItems).toHaveLength(1);
    expect(problems()).toEqual([]);
  });

  it('a server that never answers: close() resolves at its deadline and logs the events it could not deliver', async () => {
    server.inject({ kind: 'hang' });
    const sdk = insights();
    for (let i = 0; i < 5; i++) sdk.metric({ keyId: `u-${i}` }, 'purchase', 1, i);
    await sdk.close(200);

    expect(server.batches.map((b) => b.outcome)).toEqual(['hung']);
    expect(server.accepted).toEqual([]);
    expect(sdk.stats).toMatchObject({ delivered: 0, dropped: 5, queued: 0 });
    expect(problems()).toEqual([{ level: 'error', message: '5 events could not be delivered to FeatBit before close; they are lost' }]);
  });

  it('a POST with no answer in time is tried again (send timeout), and delivered once the server answers', async () => {
    server.inject({ kind: 'hang' }, { times: 1 });
    const sdk = insights({ sendTimeoutMs: 100 });
    sdk.metric(ADA, 'purchase', 1, 1);
    await sdk.flush();
    expect(server.batches.map((b) => b.outcome)).toEqual(['hung', 200]);
    expect(sdk.stats).toMatchObject({ delivered: 1, retries: 1 });
  });
});
