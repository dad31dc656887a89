import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createFlagsClient, type FlagsClient, FlagwireConfigError } from '../../src/server/index';
import { IN_SEGMENT_PROPERTY } from '../../src/evaluators/featbit';
import { featBitFlag, featBitRuleFlag } from '../support/featbit-builders';
import { FeatBitTestServer } from '../support/featbit-server';
import { nextEvent, recordingLogger } from '../support/flags-files';

/** flagwire's FeatBit mode: createFlagsClient({ featbit }) against the FeatBit-protocol test server. */
let server: FeatBitTestServer | null = null;
let client: FlagsClient | null = null;
afterEach(async () => {
  await client?.close();
  client = null;
  await server?.stop();
  server = null;
});

const everyone = (id: string) => ({ dispatchKey: null, includedInExpt: false, variations: [{ id, rollout: [0, 1] as [number, number], exptRollout: 1 }] });
const headline = (fallthrough: string, updatedAt = '2025-01-01T00:00:00.000Z') =>
  featBitFlag({
    key: 'headline',
    variationType: 'string',
    variations: [
      { id: 'v-control', value: 'control' },
      { id: 'v-bold', value: 'bold' },
    ],
    fallthrough: everyone(fallthrough),
    updatedAt,
  });

async function connected(options: { clientFlags?: string[] } = {}) {
  server = await new FeatBitTestServer().start();
  server.setAll({ flags: [headline('v-control'), featBitFlag({ key: 'checkout', variationType: 'boolean', fallthrough: everyone('on') })] });
  const log = recordingLogger();
  client = createFlagsClient({ featbit: { envSecret: server.secret, streamingUri: server.url, eventsUri: server.url }, logger: log.logger, ...options });
  expect(await client.ready()).toBe('ready');
  return { server, client, log };
}

describe('FeatBit mode', () => {
  it('syncs flags and answers typed values, variation ids and FeatBit reasons', async () => {
    const { client } = await connected();
    expect(client.mode).toBe('featbit');
    expect(await client.variationDetail({ user: { key: 'alice' } }, 'headline', 'x')).toMatchObject({
      value: 'control',
      variation: 'v-control',
      kind: 'fallthrough',
      reason: 'fall through targets and rules',
    });
    expect(await client.checkFlag({ user: { key: 'alice' } }, 'checkout')).toBe(true);
    expect(await client.variationDetail({ user: { key: 'alice' } }, 'nope', 1)).toMatchObject({ value: 1, kind: 'not_found' });
  });

  it('emits change with the changed keys when FeatBit pushes a patch, and answers the new value', async () => {
    const { server, client } = await connected();
    const changed = nextEvent(client, 'change');
    server.push({ flags: [headline('v-bold', '2025-01-02T00:00:00.000Z')] });
    expect(await changed).toEqual({ type: 'flags', keys: ['headline'] });
    expect(await client.variation({ user: { key: 'alice' } }, 'headline', 'x')).toBe('bold');
  });

  it('goes stale when the connection drops, keeps answering, and is ready again after it resumes', async () => {
    const { server, client } = await connected();
    const stale = nextEvent(client, 'status');
    server.dropAll();
    expect(await stale).toBe('stale');
    expect(await client.variation({ user: { key: 'alice' } }, 'headline', 'x')).toBe('control');
    expect(await nextEvent(client, 'status', 10_000)).toBe('ready');
  });

  it('reports each flag a request read once, and track as a metric, to FeatBit insights', async () => {
    const { server, client: connectedClient } = await connected();
    const snapshot = await connectedClient.snapshot({ user: { key: 'alice', email: 'a@x.test' }, attributes: { user: { name: 'Alice', country: 'DE' } } });
    snapshot.value('headline');
    snapshot.variation('headline', 'x');
    snapshot.isEnabled('headline');
    await connectedClient.track({ event: 'signup', user: { key: 'alice' }, quantity: 2 });
    const posted = once(server, 'insight');
    await connectedClient.close();
    const [batch] = (await posted) as [Record<string, unknown>[]];
    // The metric is queued at once; the request's reads go out as one item when its turn of the event loop ends.
    expect(batch).toEqual([
      {
        user: { keyId: 'alice', name: '', customizedProperties: [] },
        metrics: [{ route: 'index/metric', type: 'CustomEvent', appType: expect.any(String), eventName: 'signup', numericValue: 2, timestamp: expect.any(Number) }],
      },
      {
        // headline reads no property: the insight carries the key and the name only (see the next test).
        user: { keyId: 'alice', name: 'Alice', customizedProperties: [] },
        variations: [{ featureFlagKey: 'headline', variation: { id: 'v-control', value: 'control' }, timestamp: expect.any(Number), sendToExperiment: false }],
      },
    ]);
  });

  it('sends the flags one request reads as one item, its user trimmed to the properties they read (rules and segments), leaving a 16 KB attribute behind', async () => {
    const { server, client: connectedClient } = await connected();
    const teams = { id: 'seg-teams', name: 'Teams', included: [], excluded: [], rules: [{ conditions: [{ property: 'team', op: 'Equal', value: 'core' }] }], updatedAt: '2025-01-01T00:00:00.000Z' };
    const gated = featBitRuleFlag(
      [
        { property: 'country', op: 'Equal', value: 'DE' },
        { property: IN_SEGMENT_PROPERTY, op: null, value: JSON.stringify([teams.id]) },
      ],
      { key: 'gated', variationType: 'boolean', updatedAt: '2025-01-02T00:00:00.000Z' },
    );
    const changed = nextEvent(connectedClient, 'change');
    server.push({ flags: [gated], segments: [teams] });
    await changed;
    const blob = 'x'.repeat(16 * 1024);
    const context = { user: { key: 'alice', country: 'DE', team: 'core', blob }, attributes: { user: { name: 'Alice' } } };
    const snapshot = await connectedClient.snapshot(context);
    expect(snapshot.isEnabled('gated')).toBe(true);
    snapshot.value('headline');
    const posted = once(server, 'insight');
    await connectedClient.close();
    const [batch] = (await posted) as [{ user: unknown; variations: { featureFlagKey: string }[] }[]];
    expect(batch.map((item) => [item.variations.map((variation) => variation.featureFlagKey), item.user])).toEqual([
      [['gated', 'headline'], { keyId: 'alice', name: 'Alice', customizedProperties: [{ name: 'country', value: 'DE' }, { name: 'team', value: 'core' }] }],
    ]);
    expect(JSON.stringify(batch).length).toBeLessThan(1_000);
  });

  it('sends only client flags to the browser', async () => {
    const { client } = await connected({ clientFlags: ['headline'] });
    expect((await client.snapshot({ user: { key: 'alice' } })).toJSON()).toEqual({ v: 2, flags: { headline: { value: 'control', variation: 'v-control' } } });
  });

  it('runs offline on a bootstrap with no network, and checks its options at creation', async () => {
    const bootstrap = { messageType: 'data-sync', data: { eventType: 'full', featureFlags: [headline('v-bold')], segments: [] } };
    client = createFlagsClient({ featbit: { offline: true, bootstrap: JSON.stringify(bootstrap) }, logger: recordingLogger().logger });
    expect(await client.ready()).toBe('ready');
    expect(await client.variation({ user: { key: 'bob' } }, 'headline', 'x')).toBe('bold');
    expect(() => createFlagsClient({ featbit: { streamingUri: 'http://localhost:1' } })).toThrow(FlagwireConfigError);
    expect(() => createFlagsClient({ featbit: { envSecret: 's', streamingUri: 'ftp://x' } })).toThrow(/featbit\.streamingUri/);
    expect(() => createFlagsClient({ featbit: { envSecret: 's', streamingUri: 'http://x', evntsUri: 'http://x' } as never })).toThrow(/featbit\.evntsUri/);
    expect(() => createFlagsClient({ apiKey: 'k', featbit: { offline: true } })).toThrow(/featbit/);
  });
});
